package dev.ringside.engine.model;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import dev.ringside.engine.config.LoopConfig;
import dev.ringside.engine.counter.CounterTotals;
import dev.ringside.engine.counter.EngineCounter;
import dev.ringside.engine.protocol.CloseReason;
import dev.ringside.engine.protocol.OptionValues;
import dev.ringside.engine.protocol.Protocol;
import dev.ringside.engine.protocol.ProtocolOption;
import dev.ringside.engine.protocol.ProtocolSpec;
import dev.ringside.engine.protocol.ServerEnvironment;
import dev.ringside.engine.protocols.Protocols;
import dev.ringside.engine.server.ServerFactory;
import dev.ringside.engine.server.ServerSettings;
import dev.ringside.engine.testing.LoopHarness;
import org.junit.jupiter.api.Assumptions;

/**
 * A server of any model on 127.0.0.1 port 0, for tests: built exactly as {@code ringside server --model M}
 * builds it ({@link ServerFactory}), or, for a protocol object that no name creates (a test protocol), as a
 * {@link BlockingServer} or a selector loop on a {@link LoopHarness} thread. Counters are read through one
 * interface whatever the model.
 */
final class ModelServer implements AutoCloseable {
    /**
     * Small rings and a small send buffer, so large payloads go through partial reads and writes. The receive
     * buffer keeps its default: one below the loopback MSS (64 KiB) never reopens a full-segment window, and
     * the peer then crawls on zero-window probes, which tests TCP's patience rather than the server.
     */
    static final int RING_BYTES = 4096;
    static final int POOL_RINGS = 256;
    static final int SOCKET_BUFFER_BYTES = 4096;
    /** Workers of the process model in tests: two, so that "separate processes" means something. */
    static final int WORKERS = 2;
    /** Pool threads in the conformance suite: enough for its concurrent clients. */
    static final int POOL_THREADS = 4;
    /**
     * How the process model starts a worker ({@link ServerSettings#workerCommand}); empty in the engine, whose
     * tests have no command line, and set by client-bench's tests, which have the {@code server} command.
     */
    static volatile List<String> workerCommand = List.of();

    private final ServerModel model;
    private final RunningServer server;
    private final LoopHarness harness;
    private final InetSocketAddress tcp;
    private final InetSocketAddress udp;

    private ModelServer(final ServerModel model, final RunningServer server, final LoopHarness harness,
        final InetSocketAddress tcp, final InetSocketAddress udp) {
        this.model = model;
        this.server = server;
        this.harness = harness;
        this.tcp = tcp;
        this.udp = udp;
    }

    /** @return the loop settings every test server uses */
    static LoopConfig config() {
        return new LoopConfig()
            .ringCapacityBytes(RING_BYTES)
            .poolRings(POOL_RINGS)
            .socketSendBufferBytes(SOCKET_BUFFER_BYTES);
    }

    /**
     * Starts a server the way the {@code server} command does.
     *
     * @param model    the model
     * @param protocol a protocol name
     * @param withUdp  whether to bind a UDP endpoint too
     * @return the running server
     */
    static ModelServer start(final ServerModel model, final String protocol, final boolean withUdp)
        throws IOException, InterruptedException {
        return start(model, protocol, List.of(), withUdp);
    }

    /**
     * @param protocol a protocol the registry serves
     * @return whether its sessions share state (the one property every host reads)
     */
    static boolean sharesState(final String protocol) {
        return Protocols.servable(protocol).server().orElseThrow().newProtocol(OptionValues.defaults(),
            new ServerEnvironment(1 << 20, System.out)).sharesState();
    }

    /**
     * Starts a server from the settings {@code ringside server} would build for these options: the protocol's
     * flags become its option values, and the process model's workers receive the options as the command passes
     * them on (so the workers parse them with the real command line).
     *
     * <p>A protocol whose sessions share one room ({@link #sharesState}) gets one worker process,
     * the only process-model configuration that can serve it (more is refused, see {@code ProcessModelTest}).
     * The process model needs {@link #workerCommand}: its workers run the {@code server} command, which lives in
     * client-bench, so its cells run there ({@code ProcessModelConformanceTest}) and are skipped here.
     *
     * @param model         the model
     * @param protocol      a protocol name
     * @param protocolFlags the protocol's own options, e.g. {@code --max-line 1024}
     * @param withUdp       whether to bind a UDP endpoint too
     * @return the running server
     * @throws IllegalArgumentException when the settings refuse the combination (its one-line message)
     */
    static ModelServer start(final ServerModel model, final String protocol, final List<String> protocolFlags,
        final boolean withUdp) throws IOException, InterruptedException {
        if (model == ServerModel.PROCESS && workerCommand.isEmpty()) {
            Assumptions.abort("the process model's workers run the server command, which client-bench has: "
                + "its ProcessModelConformanceTest runs these cells");
        }
        final List<String> passedOn = new ArrayList<>(List.of("--protocol", protocol));
        passedOn.addAll(protocolFlags);
        passedOn.addAll(List.of("--ring-capacity", Integer.toString(RING_BYTES),
            "--pool-size", Integer.toString(RING_BYTES * POOL_RINGS)));
        final ProtocolSpec spec = Protocols.servable(protocol);
        // As the command's defaults: a started frame must finish within 10 s, stalled output within 30 s.
        final LoopConfig loopConfig = config().frameTimeoutNs(TimeUnit.SECONDS.toNanos(10))
            .writeTimeoutNs(TimeUnit.SECONDS.toNanos(30));
        // Socket buffers have no flag, so workers keep the default ones and get partial I/O from the small
        // rings and large payloads.
        final ServerSettings settings = new ServerSettings()
            .protocol(spec, optionValues(spec, protocolFlags))
            .loopConfig(loopConfig)
            .model(model)
            .loops(model == ServerModel.MULTI ? 2 : 1)
            .threads(POOL_THREADS)
            .workers(sharesState(protocol) ? 1 : WORKERS)
            .workerArgs(passedOn)
            .workerCommand(workerCommand)
            .tcp(new InetSocketAddress("127.0.0.1", 0));
        if (withUdp) {
            settings.udp(new InetSocketAddress("127.0.0.1", 0));
        }
        final RunningServer server = ServerFactory.open(settings, System.out, System.err);
        server.start();
        return new ModelServer(model, server, null, server.tcpAddresses().get(0),
            withUdp ? server.udpAddresses().get(0) : null);
    }

    /** The protocol's server flags as the command reads them: a switch alone, any other option with a value. */
    private static OptionValues optionValues(final ProtocolSpec spec, final List<String> flags) {
        final Map<ProtocolOption<?>, List<String>> texts = new LinkedHashMap<>();
        for (int i = 0; i < flags.size(); i++) {
            final String name = flags.get(i);
            final ProtocolOption<?> option = spec.serverOptions().stream()
                .filter(candidate -> candidate.names().contains(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(name + " is not a server option of " + spec.name()));
            texts.computeIfAbsent(option, key -> new ArrayList<>()).add(option.isFlag() ? "true" : flags.get(++i));
        }
        return OptionValues.parse(texts);
    }

    /**
     * Starts a server of a protocol object: a blocking model, or the selector loop on a harness thread.
     *
     * @param model    {@code selector} or a blocking model
     * @param protocol the protocol
     * @param config   loop settings
     * @param threads  pool size, for the pool model
     * @return the running server
     */
    static ModelServer start(final ServerModel model, final Protocol protocol, final LoopConfig config,
        final int threads) throws IOException {
        if (model == ServerModel.SELECTOR) {
            final LoopHarness harness = new LoopHarness(config);
            final InetSocketAddress address = harness.listenTcp(protocol);
            harness.startThread();
            return new ModelServer(model, null, harness, address, null);
        }
        if (!model.isBlocking()) {
            throw new IllegalArgumentException("a protocol object runs in this JVM only: " + model);
        }
        final CounterStore store = CounterStore.privateMemory(1);
        final BlockingServer server = new BlockingServer(
            new BlockingSettings().model(model).config(config).threads(threads)
                .tcp(new InetSocketAddress("127.0.0.1", 0)),
            protocol, store, store.allocate(model.label()), new ErrorPrinter(System.err, model.label()));
        server.start();
        return new ModelServer(model, server, null, server.tcpAddresses().get(0), null);
    }

    ServerModel model() {
        return model;
    }

    RunningServer server() {
        return server;
    }

    InetSocketAddress tcp() {
        return tcp;
    }

    InetSocketAddress udp() {
        return udp;
    }

    long count(final EngineCounter counter) {
        return harness != null ? harness.counters().get(counter) : totals().value(counter);
    }

    long count(final ModelCounter counter) {
        return totals().value(counter.id());
    }

    long closedBy(final CloseReason reason) {
        return harness != null ? harness.counters().closedBy(reason)
            : totals().value(EngineCounter.CLOSE_REASON_TYPE_BASE + reason.ordinal());
    }

    private CounterTotals totals() {
        return server.totals();
    }

    /**
     * Waits until a counter reaches a value (polling with the harness's caps; never sleeping).
     *
     * @param counter  which
     * @param expected the value
     */
    void await(final EngineCounter counter, final long expected) {
        await(counter.label(), () -> count(counter), expected);
    }

    void await(final ModelCounter counter, final long expected) {
        await(counter.label(), () -> count(counter), expected);
    }

    void awaitClosed(final CloseReason reason, final long expected) {
        await("closed, " + reason.label(), () -> closedBy(reason), expected);
    }

    private void await(final String label, final LongSupplier value, final long expected) {
        try {
            LoopHarness.await(() -> value.getAsLong() == expected);
        } catch (final AssertionError ex) {
            throw new AssertionError(model.label() + ": '" + label + "' stayed at " + value.getAsLong()
                + ", expected " + expected, ex);
        }
    }

    @Override
    public void close() {
        if (harness != null) {
            harness.close();
        } else {
            server.close();
        }
    }

    /** A print stream that drops everything, for workers' output in tests that do not read it. */
    static PrintStream nowhere() {
        return new PrintStream(PrintStream.nullOutputStream());
    }
}
