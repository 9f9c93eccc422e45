package dev.ringside.engine.server;

import java.io.File;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import dev.ringside.engine.config.LoopConfig;
import dev.ringside.engine.model.ServerModel;
import dev.ringside.engine.protocol.OptionValues;
import dev.ringside.engine.protocol.Protocol;
import dev.ringside.engine.protocol.ProtocolSpec;
import dev.ringside.engine.protocol.ServerEnvironment;
import dev.ringside.engine.protocol.echo.Echo;

/**
 * Everything a server of any model is built from ({@link Server} for the selector models; see
 * {@link ServerFactory}).
 */
public final class ServerSettings {
    private final List<InetSocketAddress> tcpAddresses = new ArrayList<>();
    private final List<InetSocketAddress> udpAddresses = new ArrayList<>();
    private ProtocolSpec protocol = Echo.SPEC;
    private OptionValues protocolOptions = OptionValues.defaults();
    private PrintStream printer = System.out;
    private LoopConfig loopConfig = new LoopConfig();
    private int loops = 1;
    private boolean publishCounters;
    private ServerModel model = ServerModel.SELECTOR;
    private int threads = Runtime.getRuntime().availableProcessors();
    private int workers = Runtime.getRuntime().availableProcessors();
    private int processes = 1;
    private List<String> workerArgs = List.of();
    private List<String> workerCommand = List.of();
    private int workerSlot = -1;
    private File workerCounters;

    public List<InetSocketAddress> tcpAddresses() {
        return tcpAddresses;
    }

    public List<InetSocketAddress> udpAddresses() {
        return udpAddresses;
    }

    /**
     * Adds a TCP listener.
     *
     * @param address where
     * @return this
     */
    public ServerSettings tcp(final InetSocketAddress address) {
        tcpAddresses.add(address);
        return this;
    }

    /**
     * Adds a UDP endpoint.
     *
     * @param address where
     * @return this
     */
    public ServerSettings udp(final InetSocketAddress address) {
        udpAddresses.add(address);
        return this;
    }

    /** @return the protocol served */
    public ProtocolSpec protocol() {
        return protocol;
    }

    /** @return the values of the protocol's server options */
    public OptionValues protocolOptions() {
        return protocolOptions;
    }

    /**
     * Selects the protocol, with its options at their defaults.
     *
     * @param spec a protocol with a server side (see {@code Protocols.servable})
     * @return this
     */
    public ServerSettings protocol(final ProtocolSpec spec) {
        return protocol(spec, OptionValues.defaults());
    }

    /**
     * Selects the protocol and its option values.
     *
     * @param spec    a protocol with a server side
     * @param options values of its server options
     * @return this
     */
    public ServerSettings protocol(final ProtocolSpec spec, final OptionValues options) {
        if (spec.server().isEmpty()) {
            throw new IllegalArgumentException("protocol " + spec.name() + " has no server side");
        }
        this.protocol = spec;
        this.protocolOptions = options;
        return this;
    }

    /**
     * @param out where a protocol prints (discard {@code --print})
     * @return this
     */
    public ServerSettings printer(final PrintStream out) {
        this.printer = out;
        return this;
    }

    /**
     * Makes the protocol from its spec and options, for the ring capacity of {@link #loopConfig()}: call once per
     * server, since a protocol instance holds the state its sessions share.
     *
     * @return a new protocol instance
     * @throws IllegalArgumentException when an option does not fit the ring, saying what to change
     */
    public Protocol newProtocol() {
        return protocol.server().orElseThrow().newProtocol(protocolOptions,
            new ServerEnvironment(loopConfig.ringCapacityBytes(), printer));
    }

    public LoopConfig loopConfig() {
        return loopConfig;
    }

    /**
     * Sets loop settings.
     *
     * @param config the settings
     * @return this
     */
    public ServerSettings loopConfig(final LoopConfig config) {
        this.loopConfig = config;
        return this;
    }

    public int loops() {
        return loops;
    }

    /**
     * Sets the number of event loops; with more than one, each loop listens on every TCP port with
     * {@code SO_REUSEPORT} and the kernel spreads connections across them.
     *
     * @param count at least 1
     * @return this
     */
    public ServerSettings loops(final int count) {
        if (count < 1) {
            throw new IllegalArgumentException("loops must be at least 1, got " + count);
        }
        this.loops = count;
        return this;
    }

    public boolean publishCounters() {
        return publishCounters;
    }

    /**
     * Publishes counters in a memory-mapped file for {@code ringside stat}.
     *
     * @param publish whether to
     * @return this
     */
    public ServerSettings publishCounters(final boolean publish) {
        this.publishCounters = publish;
        return this;
    }

    public ServerModel model() {
        return model;
    }

    /**
     * Selects the server model.
     *
     * @param serverModel how connections become work
     * @return this
     */
    public ServerSettings model(final ServerModel serverModel) {
        this.model = serverModel;
        return this;
    }

    public int threads() {
        return threads;
    }

    /**
     * Sets the pool model's thread count.
     *
     * @param count at least 1
     * @return this
     */
    public ServerSettings threads(final int count) {
        if (count < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, got " + count);
        }
        this.threads = count;
        return this;
    }

    public int workers() {
        return workers;
    }

    /**
     * Sets the process model's worker count.
     *
     * @param count at least 1
     * @return this
     */
    public ServerSettings workers(final int count) {
        if (count < 1) {
            throw new IllegalArgumentException("--workers must be at least 1, got " + count);
        }
        this.workers = count;
        return this;
    }

    public int processes() {
        return processes;
    }

    /**
     * Sets how many worker processes of a selector model serve the ports (the prefork server); 1 serves from
     * this process.
     *
     * @param count at least 1
     * @return this
     */
    public ServerSettings processes(final int count) {
        if (count < 1) {
            throw new IllegalArgumentException("--processes must be at least 1, got " + count);
        }
        this.processes = count;
        return this;
    }

    /** @return whether this process supervises selector worker processes ({@code --processes} above 1) */
    public boolean isPrefork() {
        return processes > 1 && !isWorker();
    }

    public List<String> workerArgs() {
        return workerArgs;
    }

    /**
     * Sets the {@code server} arguments every worker process of the process model gets (protocol and its
     * options, ring and pool sizes); model and address options are added by the supervisor.
     *
     * @param args the arguments
     * @return this
     */
    public ServerSettings workerArgs(final List<String> args) {
        this.workerArgs = List.copyOf(args);
        return this;
    }

    public List<String> workerCommand() {
        return workerCommand;
    }

    /**
     * Sets how a worker process starts: the command up to and including the main class of a {@code server}
     * command line, which the supervisor follows with the worker's own options and {@link #workerArgs()}. The
     * command line belongs to whoever parsed it (the engine has none), so the process model and the prefork
     * server need this.
     *
     * @param command for example {@code WorkerLaunch.currentJvm(mainClass)}
     * @return this
     */
    public ServerSettings workerCommand(final List<String> command) {
        this.workerCommand = List.copyOf(command);
        return this;
    }

    /** @return whether this process is a worker of a supervisor (process model or prefork server) */
    public boolean isWorker() {
        return workerCounters != null;
    }

    public int workerSlot() {
        return workerSlot;
    }

    public File workerCounters() {
        return workerCounters;
    }

    /**
     * Makes this process worker {@code slot} of a supervisor: it binds with {@code SO_REUSEPORT}; a blocking
     * worker writes its counters into the supervisor's file, a selector worker publishes this file of its own.
     *
     * @param slot     the worker's number
     * @param counters the supervisor's counters file (blocking), or this worker's own (selector)
     * @return this
     */
    public ServerSettings worker(final int slot, final File counters) {
        this.workerSlot = slot;
        this.workerCounters = counters;
        return this;
    }
}
