package dev.ringside.bench.server;

import java.io.File;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ringside.engine.config.LoopConfig;
import dev.ringside.engine.config.Units;
import dev.ringside.engine.model.RunningServer;
import dev.ringside.engine.model.ServerModel;
import dev.ringside.engine.model.WorkerLaunch;
import dev.ringside.engine.model.WorkerSupervisor;
import dev.ringside.engine.protocol.ProtocolSpec;
import dev.ringside.engine.protocols.Protocols;
import dev.ringside.engine.protocol.rr.Rr;
import picocli.CommandLine.Command;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;
import dev.ringside.engine.server.DescriptorBudget;
import dev.ringside.engine.model.ServerSettings;
import dev.ringside.engine.server.ServerFactory;
import dev.ringside.bench.command.IdleOption;
import dev.ringside.bench.command.ProtocolChoice;
import dev.ringside.bench.command.ProtocolFlags;
import dev.ringside.bench.command.ServerModelOptions;
import dev.ringside.bench.process.CommandArguments;

/**
 * {@code ringside server}: serves a protocol on any number of TCP and UDP addresses with the chosen server
 * model (the selector loop by default), publishes live counters, and on SIGINT/SIGTERM stops accepting,
 * flushes within a grace period and prints the final counters.
 */
@Command(name = "server", mixinStandardHelpOptions = true, sortOptions = false,
    modelTransformer = ServerCommand.RegistryOptions.class,
    description = {
        "Serve a protocol over TCP and UDP, with the selector loop or one of the classic server models.",
        "Binds loopback unless told otherwise; port 0 picks a free port and the bound port is printed.",
        "Runs until SIGINT/SIGTERM, then stops accepting, flushes within --grace, closes every connection,",
        "prints its final counters and exits 0 (a graceful stop is success).",
        "Watch it live from another terminal with 'ringside stat'."
    },
    footer = {
        "",
        "Models (--model), all serving the same protocol code:",
        "  selector   one non-blocking selector loop (the engine; default)",
        "  multi      --loops N selector loops sharing the port (SO_REUSEPORT; default N = CPUs)",
        "  iterative  blocking: one client at a time, to EOF; the rest wait in the listen backlog",
        "  thread     blocking: a platform thread per connection",
        "  pool       blocking: a fixed pool of --threads N (default CPUs); clients beyond N are",
        "             accepted but wait in a queue, shown by the 'connections queued' counter",
        "  virtual    blocking: a virtual thread per connection; needs JDK 21+ (detected at run time)",
        "  process    fork per connection, as honest as a JVM allows: a JVM cannot fork, and a JVM per",
        "             connection would measure JVM start-up, so --workers N (default CPUs) child JVMs with",
        "             this JVM's flags each bind the port with SO_REUSEPORT and serve with a thread per",
        "             connection; the kernel spreads connections across the processes (prefork, as",
        "             Apache and nginx do). 'ringside stat' on the supervisor's pid sums all workers.",
        "Blocking models serve UDP with one blocking receive-and-reply thread per endpoint.",
        "",
        "Prefork (--processes N, with selector or multi): N worker processes, each running the chosen",
        "selector model, bind every TCP and UDP port with SO_REUSEPORT; the kernel spreads connections",
        "across them, and each client's datagrams (hashed by source and destination) always reach the same",
        "worker. Each process has its own open-files limit, so the connection cap is N times one process's.",
        "'ringside stat' on the supervisor's pid shows each worker and the sum. A worker that dies stops",
        "the server: the others are stopped gracefully and it exits 1 (SIGTERM/SIGINT: graceful, exit 0).",
        "See docs/models.md."
    })
public class ServerCommand implements Callable<Integer> {
    /** Options the process model's supervisor sets itself on each worker's command line. */
    private static final List<String> SUPERVISOR_OPTIONS = List.of("--model", "--threads", "--workers", "--loops",
        "--processes", "--tcp", "--udp", "--no-counters-file",
        WorkerLaunch.SLOT_OPTION, WorkerLaunch.COUNTERS_OPTION, WorkerLaunch.PARENT_OPTION);

    // The help lines and each protocol's own options are generated from the registry (RegistryOptions below).
    @Mixin
    ProtocolChoice protocol = new ProtocolChoice();

    @Option(names = "--tcp", paramLabel = "HOST:PORT",
        description = "TCP listener; repeatable (default 127.0.0.1:5000)")
    List<String> tcp = new ArrayList<>();

    @Option(names = "--udp", paramLabel = "HOST:PORT", description = "UDP endpoint; repeatable")
    List<String> udp = new ArrayList<>();

    @Mixin
    IdleOption idle = new IdleOption();

    @Option(names = "--ring-capacity", defaultValue = "64k", paramLabel = "SIZE",
        description = "per-connection ring size, a power of two (default: ${DEFAULT-VALUE})")
    String ringCapacity;

    @Option(names = "--pool-size", defaultValue = "256m", paramLabel = "SIZE",
        description = "ring memory per loop, at most; beyond it reads stall (default: ${DEFAULT-VALUE})")
    String poolSize;

    @Option(names = "--udp-receive-buffer", defaultValue = "0", paramLabel = "SIZE",
        description = "SO_RCVBUF of each UDP socket, e.g. 4m (capped by net.core.rmem_max); 0 = the OS default")
    String udpReceiveBuffer;

    @Option(names = "--max-connections", paramLabel = "N",
        description = "connections beyond this (per loop) are closed at once and counted (default: what the "
            + "open-files limit leaves, printed at start-up)")
    Integer maxConnections;

    @Option(names = "--idle-timeout", defaultValue = "0", paramLabel = "DURATION",
        description = "close connections silent this long, e.g. 30s; 0 = never (default: ${DEFAULT-VALUE})")
    String idleTimeout;

    @Option(names = "--frame-timeout", defaultValue = "10s", paramLabel = "DURATION",
        description = "a started frame or request head must complete within this; trickling does not extend it "
            + "(selector models); 0 = never (default: ${DEFAULT-VALUE})")
    String frameTimeout;

    @Option(names = "--write-timeout", defaultValue = "30s", paramLabel = "DURATION",
        description = "close a connection whose queued output makes no progress this long (selector models); "
            + "0 = never (default: ${DEFAULT-VALUE})")
    String writeTimeout;


    @Option(names = "--model", paramLabel = "MODEL", converter = ModelConverter.class,
        description = "selector | multi | iterative | thread | pool | virtual | process (default: selector; "
            + "multi when --loops is above 1); see the list below")
    ServerModel model;

    // --threads, --workers, --loops: as compare passes them on.
    @Mixin
    ServerModelOptions modelSizes = new ServerModelOptions();

    @Option(names = "--processes", paramLabel = "N",
        description = "selector or multi: worker processes sharing every port with SO_REUSEPORT, each with its "
            + "own loops, descriptors and counters (prefork; default: 1, this process serves)")
    Integer processes;

    @Option(names = "--grace", defaultValue = "2s", paramLabel = "DURATION",
        description = "on shutdown, how long to let output drain (default: ${DEFAULT-VALUE})")
    String grace;

    @Option(names = "--no-counters-file", description = "do not publish counters for 'ringside stat'")
    boolean noCountersFile;

    // Set by the process model's supervisor on the command lines of its workers; not for users.
    @Option(names = WorkerLaunch.SLOT_OPTION, hidden = true)
    Integer workerSlot;

    @Option(names = WorkerLaunch.COUNTERS_OPTION, hidden = true)
    File workerCounters;

    @Option(names = WorkerLaunch.PARENT_OPTION, hidden = true)
    Long workerOf;

    @Spec
    CommandSpec spec;

    /**
     * Builds settings from the options.
     *
     * @param out where protocol output (discard --print) goes
     * @return the settings
     */
    public ServerSettings settings(final PrintStream out) {
        final long ringBytes = Units.parseBytes(ringCapacity);
        final long poolBytes = Units.parseBytes(poolSize);
        if (ringBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("--ring-capacity too large: " + ringCapacity);
        }
        final long udpBufferBytes = Units.parseBytes(udpReceiveBuffer);
        if (udpBufferBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("--udp-receive-buffer too large: " + udpReceiveBuffer);
        }
        if (maxConnections != null && maxConnections < 1) {
            throw new IllegalArgumentException("--max-connections must be at least 1, got " + maxConnections);
        }
        final ServerModel chosen = chooseModel();
        final int cpus = Runtime.getRuntime().availableProcessors();
        final int loops = modelSizes.loops() != null ? modelSizes.loops() : chosen == ServerModel.MULTI ? cpus : 1;
        final LoopConfig config = new LoopConfig()
            .datagramReceiveBufferBytes((int) udpBufferBytes)
            .ringCapacityBytes((int) ringBytes)
            .poolRings((int) Math.min(Integer.MAX_VALUE, poolBytes / ringBytes))
            .maxConnections(maxConnections != null ? maxConnections : defaultMaxConnections(chosen, loops))
            .idleTimeoutNs(Units.parseDurationNs(idleTimeout))
            .frameTimeoutNs(Units.parseDurationNs(frameTimeout))
            .writeTimeoutNs(Units.parseDurationNs(writeTimeout))
            .idleMode(idle.mode());
        final ProtocolSpec served = Protocols.servable(protocol.name());
        final ServerSettings settings = new ServerSettings()
            .protocol(served, ProtocolFlags.values(spec, served, ProtocolSpec::serverOptions))
            .printer(out)
            .loopConfig(config)
            .model(chosen)
            .loops(loops)
            .threads(modelSizes.threads() != null ? modelSizes.threads() : cpus)
            .workers(modelSizes.workers() != null ? modelSizes.workers() : cpus)
            .processes(processes != null ? processes : 1)
            .publishCounters(!noCountersFile)
            .workerCommand(WorkerLaunch.currentJvm(ServerMain.class.getName()));
        if (workerCounters != null || workerSlot != null) {
            if (workerCounters == null || workerSlot == null || processes != null) {
                throw new IllegalArgumentException("the worker options are set by the process model, not by hand");
            }
            settings.worker(workerSlot, workerCounters);
        }
        if (tcp.isEmpty() && udp.isEmpty()) {
            settings.tcp(Units.parseAddress("127.0.0.1:5000"));
        }
        for (final String address : tcp) {
            settings.tcp(Units.parseAddress(address));
        }
        for (final String address : udp) {
            settings.udp(Units.parseAddress(address));
        }
        return settings;
    }

    /**
     * Connections per loop that the open-files limit allows, shared among the loops (each loop applies its own
     * cap); a blocking model counts as one.
     */
    private int defaultMaxConnections(final ServerModel chosen, final int loops) {
        final int listeners = Math.max(1, tcp.size()) + udp.size();
        final int perProcess = DescriptorBudget.current().connections(chosen.isSelector() ? loops : 1, listeners);
        return chosen.isSelector() ? Math.max(1, perProcess / loops) : perProcess;
    }

    /** Resolves {@code --model} and checks that the model-specific options go with it. */
    private ServerModel chooseModel() {
        final ServerModel chosen = model != null ? model
            : modelSizes.loops() != null && modelSizes.loops() > 1 ? ServerModel.MULTI : ServerModel.SELECTOR;
        if (chosen == ServerModel.SELECTOR && modelSizes.loops() != null && modelSizes.loops() > 1) {
            throw new IllegalArgumentException("--model selector runs one loop; use --model multi --loops "
                + modelSizes.loops());
        }
        if (modelSizes.loops() != null && !chosen.isSelector()) {
            throw new IllegalArgumentException("--loops goes with --model multi");
        }
        if (modelSizes.threads() != null && chosen != ServerModel.POOL) {
            throw new IllegalArgumentException("--threads goes with --model pool");
        }
        if (modelSizes.workers() != null && chosen != ServerModel.PROCESS) {
            throw new IllegalArgumentException("--workers goes with --model process");
        }
        if (processes != null && !chosen.isSelector()) {
            throw new IllegalArgumentException("--processes runs selector or multi workers; for worker processes "
                + "with a thread per connection use --model process --workers " + processes);
        }
        if (!chosen.isSelector() && Units.parseDurationNs(idleTimeout) > 0) {
            throw new IllegalArgumentException("--idle-timeout needs the selector loop's timer wheel; "
                + "the " + chosen.label() + " model has none (drop it, or use --model selector or multi)");
        }
        return chosen;
    }

    /**
     * The options the user typed, less those the supervisor sets itself: what every worker process gets, so
     * protocol options added later reach the workers without a change here.
     *
     * @return the arguments, or none when this command was not parsed from a command line
     */
    List<String> workerArgs() {
        final boolean parsed = spec != null && spec.commandLine() != null
            && spec.commandLine().getParseResult() != null;
        return parsed ? CommandArguments.of(spec).without(SUPERVISOR_OPTIONS.toArray(new String[0])).toList()
            : List.of();
    }

    @Override
    public Integer call() throws Exception {
        final PrintStream out = System.out;
        final ServerSettings settings = settings(out).workerArgs(workerArgs());
        final long graceNs = Units.parseDurationNs(grace);
        final RunningServer server = ServerFactory.open(settings, out, System.err);
        final boolean worker = settings.isWorker();
        // The hook goes in before the first line is printed: a parent that reads "listening" and stops the server
        // at once (compare, a test) must still get the final counters. Stopping a server not yet started is safe.
        final CountDownLatch finished = new CountDownLatch(1);
        // 0 for a stop by signal; 1 when a prefork worker died and took the server down.
        final AtomicInteger exitStatus = new AtomicInteger();
        final Thread hook = new Thread(() -> {
            try {
                server.shutdown(graceNs);
            } catch (final InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            if (!worker) {
                // A worker's counters are in its supervisor's file, which prints the sums.
                out.println("final counters:");
                out.print(server.totals().format(true));
                out.flush();
            }
            server.close();
            finished.countDown();
            // A graceful stop is success: without this the JVM reports a signal-initiated exit as 128+15=143,
            // which supervisors (systemd, Kubernetes, scripts) read as failure. Everything is flushed and closed.
            Runtime.getRuntime().halt(exitStatus.get());
        }, "ringside-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        for (final var address : server.tcpAddresses()) {
            out.println("listening tcp " + Units.format(address) + " protocol " + settings.protocol());
        }
        for (final var address : server.udpAddresses()) {
            out.println("listening udp " + Units.format(address) + " protocol " + settings.protocol());
        }
        final String amplification = amplificationWarning(settings, server.udpAddresses());
        if (amplification != null && !worker) {
            System.err.println(amplification);
        }
        if (!worker) {
            out.println("model " + describe(settings, server));
            out.println("limits " + limits(settings));
        }
        if (server.countersFile() != null && !worker) {
            out.println("counters " + server.countersFile().file() + " (pid " + ProcessHandle.current().pid()
                + "; watch with 'ringside stat')");
        }
        out.flush();
        server.start();
        if (workerOf != null) {
            exitWithSupervisor(workerOf);
        }
        if (settings.isPrefork()) {
            // A worker died: say which, then exit through the shutdown hook, which stops the others gracefully.
            final String lost = ((WorkerSupervisor) server).workerLost().get();
            System.err.println("ringside server: " + lost);
            exitStatus.set(1);
            System.exit(1);
        }
        finished.await();
        return 0;
    }

    /**
     * Every UDP reply is at most as large as its request (a forged source cannot make the server an
     * amplifier), except rr with a fixed response size: a 4-byte request draws a reply of 4 + SIZE bytes.
     * On loopback nobody else can reach it; bound elsewhere, say so.
     *
     * @return the warning line, or {@code null}
     */
    static String amplificationWarning(final ServerSettings settings, final List<InetSocketAddress> udpBound) {
        if (!"rr".equals(settings.protocol().name()) || !settings.protocolOptions().isSet(Rr.RESPONSE_SIZE)
            || settings.protocolOptions().get(Rr.RESPONSE_SIZE) <= 0) {
            return null;
        }
        final int responseBytes = settings.protocolOptions().get(Rr.RESPONSE_SIZE);
        for (final InetSocketAddress address : udpBound) {
            if (!address.getAddress().isLoopbackAddress()) {
                return "ringside server: warning: udp " + Units.format(address) + " is reachable off loopback and"
                    + " --response-size " + responseBytes + " answers a 4-byte request with " + (4 + responseBytes)
                    + " bytes: a forged source makes this server a " + (4 + responseBytes) / 4
                    + "x traffic amplifier (bind 127.0.0.1, or drop --response-size)";
            }
        }
        return null;
    }

    private static String describe(final ServerSettings settings, final RunningServer server) {
        final ServerModel chosen = settings.model();
        if (settings.isPrefork()) {
            return "prefork: " + settings.processes() + " worker processes of " + chosen.label()
                + (chosen == ServerModel.MULTI ? " (" + settings.loops() + " loops each)" : "")
                + " sharing every port, pids " + ((WorkerSupervisor) server).workerPids();
        }
        switch (chosen) {
            case MULTI:
                return "multi: " + settings.loops() + " selector loops sharing the port";
            case POOL:
                return "pool: " + settings.threads() + " threads";
            case PROCESS:
                return "process: " + settings.workers() + " worker processes, pids "
                    + ((WorkerSupervisor) server).workerPids();
            default:
                return chosen.label() + ": " + chosen.description();
        }
    }

    /**
     * The effective caps of the chosen model: connections (and where the default came from), and ring memory.
     */
    private String limits(final ServerSettings settings) {
        final LoopConfig config = settings.loopConfig();
        final DescriptorBudget budget = DescriptorBudget.current();
        final String source = maxConnections != null ? "--max-connections"
            : budget.known() ? "open-files limit " + budget.limit() + ", " + budget.inUse() + " in use"
            : "open-files limit unknown";
        final int max = config.maxConnections();
        final String rings = "rings " + Units.formatBytes(config.ringStartBytes()) + " growing to "
            + Units.formatBytes(config.ringCapacityBytes()) + ", pool " + Units.formatBytes(config.poolBytes());
        final int fullRingPairs = config.poolRings() / 2;
        if (settings.isPrefork()) {
            // Each worker has its own open-files limit: the caps multiply.
            final long perWorker = (long) max * settings.loops();
            return "max connections " + perWorker + " per worker process (" + max + " per loop x " + settings.loops()
                + " loops; " + source + " per process), " + perWorker * settings.processes() + " in all across "
                + settings.processes() + " processes; " + rings + " per loop";
        }
        switch (settings.model()) {
            case SELECTOR:
                return "max connections " + max + " (" + source + "); " + rings;
            case MULTI:
                return "max connections " + max + " per loop, " + (long) max * settings.loops() + " in all ("
                    + source + "); " + rings + " per loop";
            case ITERATIVE:
                return "one connection at a time; the rest wait in the listen backlog; " + rings;
            case POOL:
                return settings.threads() + " served at once, up to " + max + " admitted (" + source + "); "
                    + rings;
            case PROCESS:
                return "per worker: " + Math.min(max, fullRingPairs) + " connections (two full rings each from "
                    + "its pool; " + source + "); " + rings + " per worker";
            default:
                if (!settings.newProtocol().writesOwnOutput()) {
                    // Chat: a member holds one smallest ring (it is sent the room's ring), see BlockingConnection.
                    final long smallRings = config.poolBytes() / config.ringStartBytes();
                    return Math.min(max, smallRings) + " connections (the lower of " + max + " from the " + source
                        + " and " + smallRings + " smallest rings in the pool: a member holds one, no output ring); "
                        + rings;
                }
                return Math.min(max, fullRingPairs) + " connections (the lower of " + max + " from the " + source
                    + " and " + fullRingPairs + " pairs of full rings in the pool); " + rings;
        }
    }

    /** A worker must not outlive its supervisor (killed with SIGKILL, it cannot stop its workers itself). */
    private static void exitWithSupervisor(final long supervisorPid) {
        final var supervisor = ProcessHandle.of(supervisorPid);
        if (supervisor.isEmpty()) {
            System.exit(0);
        }
        supervisor.get().onExit().thenRun(() -> System.exit(0));
    }

    /** Adds the registry's protocol help and server options to this command before it parses. */
    static final class RegistryOptions implements IModelTransformer {
        @Override
        public CommandSpec transform(final CommandSpec command) {
            return ProtocolFlags.install(command, Protocols.servable(), ProtocolSpec::serverOptions);
        }
    }

    /** Reads {@code --model} by the lower-case names the help lists, in any case. */
    static final class ModelConverter implements ITypeConverter<ServerModel> {
        @Override
        public ServerModel convert(final String value) {
            try {
                return ServerModel.parse(value);
            } catch (final IllegalArgumentException ex) {
                throw new TypeConversionException(ex.getMessage());
            }
        }
    }
}
