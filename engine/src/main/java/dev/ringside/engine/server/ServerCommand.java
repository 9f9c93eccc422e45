package dev.ringside.engine.server;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import dev.ringside.engine.config.IdleMode;
import dev.ringside.engine.config.LoopConfig;
import dev.ringside.engine.protocol.ProtocolOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ringside server}: serves a protocol on any number of TCP and UDP addresses from the selector loop,
 * publishes live counters, and on SIGINT/SIGTERM stops accepting, flushes within a grace period and prints
 * the final counters.
 */
@Command(name = "server", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Serve a protocol over TCP and UDP from one non-blocking selector loop.",
        "Binds loopback unless told otherwise; port 0 picks a free port and the bound port is printed.",
        "Runs until SIGINT/SIGTERM, then stops accepting, flushes, and prints its counters.",
        "Watch it live from another terminal with 'ringside stat'."
    })
public class ServerCommand implements Callable<Integer> {
    @Option(names = "--protocol", defaultValue = "echo", paramLabel = "NAME",
        description = {"echo | discard | chat | rr | http | sockperf (default: ${DEFAULT-VALUE})",
            "  echo: bytes back as received; discard: drop (--print shows lines)",
            "  chat: each line to every other member; rr: 4-byte length + payload, one reply each",
            "  http: HTTP/1.1 GET/HEAD 'Hello, World!' for wrk; sockperf: answers the sockperf client"})
    String protocol;

    @Option(names = "--tcp", paramLabel = "HOST:PORT",
        description = "TCP listener; repeatable (default 127.0.0.1:5000)")
    List<String> tcp = new ArrayList<>();

    @Option(names = "--udp", paramLabel = "HOST:PORT", description = "UDP endpoint; repeatable")
    List<String> udp = new ArrayList<>();

    @Option(names = "--idle", defaultValue = "block", paramLabel = "MODE",
        description = "block | spin | backoff: what the loop does when idle (default: ${DEFAULT-VALUE})")
    IdleMode idle;

    @Option(names = "--ring-capacity", defaultValue = "64k", paramLabel = "SIZE",
        description = "per-connection ring size, a power of two (default: ${DEFAULT-VALUE})")
    String ringCapacity;

    @Option(names = "--pool-size", defaultValue = "256m", paramLabel = "SIZE",
        description = "ring memory per loop, at most; beyond it reads stall (default: ${DEFAULT-VALUE})")
    String poolSize;

    @Option(names = "--max-connections", defaultValue = "100000", paramLabel = "N",
        description = "connections beyond this are closed at once and counted (default: ${DEFAULT-VALUE})")
    int maxConnections;

    @Option(names = "--idle-timeout", defaultValue = "0", paramLabel = "DURATION",
        description = "close connections silent this long, e.g. 30s; 0 = never (default: ${DEFAULT-VALUE})")
    String idleTimeout;

    @Option(names = "--print", description = "discard: print each received line with its client")
    boolean print;

    @Option(names = "--max-line", paramLabel = "SIZE",
        description = "chat: longest line, newline excluded; longer closes the sender (default: 4k)")
    String maxLine;

    @Option(names = "--echo-self", description = "chat: send each line back to its sender too")
    boolean echoSelf;

    @Option(names = "--response-size", paramLabel = "SIZE",
        description = "rr: payload bytes of every reply (default: the request's, i.e. echo the frame)")
    String responseSize;

    @Option(names = "--max-header", paramLabel = "SIZE",
        description = "http: largest request line + headers; larger gets 431 (default: 8k)")
    String maxHeader;

    @Option(names = "--loops", defaultValue = "1", paramLabel = "N",
        description = "selector loops sharing the TCP ports with SO_REUSEPORT (default: ${DEFAULT-VALUE})")
    int loopCount;

    @Option(names = "--grace", defaultValue = "2s", paramLabel = "DURATION",
        description = "on shutdown, how long to let output drain (default: ${DEFAULT-VALUE})")
    String grace;

    @Option(names = "--no-counters-file", description = "do not publish counters for 'ringside stat'")
    boolean noCountersFile;

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
        final LoopConfig config = new LoopConfig()
            .ringCapacityBytes((int) ringBytes)
            .poolRings((int) Math.min(Integer.MAX_VALUE, poolBytes / ringBytes))
            .maxConnections(maxConnections)
            .idleTimeoutNs(Units.parseDurationNs(idleTimeout))
            .idleMode(idle);
        final ServerSettings settings = new ServerSettings()
            .protocol(protocol)
            .protocolOptions(protocolOptions(out, (int) ringBytes))
            .loopConfig(config)
            .loops(loopCount)
            .publishCounters(!noCountersFile);
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
     * Protocol options from this command's flags; subclasses or later options extend it.
     *
     * @param out               where printed output goes
     * @param ringCapacityBytes the per-connection ring size: the largest frame, line or head must fit in it
     * @return the options
     */
    protected ProtocolOptions protocolOptions(final PrintStream out, final int ringCapacityBytes) {
        if (print && !"discard".equals(protocol)) {
            throw new IllegalArgumentException("--print goes with --protocol discard");
        }
        if (echoSelf && !"chat".equals(protocol)) {
            throw new IllegalArgumentException("--echo-self goes with --protocol chat");
        }
        if (responseSize != null && !"rr".equals(protocol)) {
            throw new IllegalArgumentException("--response-size goes with --protocol rr");
        }
        if (maxLine != null && !"chat".equals(protocol)) {
            throw new IllegalArgumentException("--max-line goes with --protocol chat");
        }
        if (maxHeader != null && !"http".equals(protocol)) {
            throw new IllegalArgumentException("--max-header goes with --protocol http");
        }
        final ProtocolOptions options = new ProtocolOptions()
            .printer(print ? out : null)
            .echoSelf(echoSelf)
            .maxFrameBytes(ringCapacityBytes);
        if ("chat".equals(protocol)) {
            options.maxLineBytes(sizeBelowRing("--max-line",
                maxLine == null ? String.valueOf(ProtocolOptions.DEFAULT_MAX_LINE_BYTES) : maxLine, ringCapacityBytes));
        }
        if ("http".equals(protocol)) {
            options.maxHeaderBytes(sizeBelowRing("--max-header",
                maxHeader == null ? String.valueOf(ProtocolOptions.DEFAULT_MAX_HEADER_BYTES) : maxHeader,
                ringCapacityBytes));
        }
        if (responseSize != null) {
            final long bytes = Units.parseBytes(responseSize);
            if (bytes + Integer.BYTES > ringCapacityBytes) {
                throw new IllegalArgumentException("--response-size " + responseSize + " plus its 4-byte length"
                    + " must fit --ring-capacity (" + ringCapacityBytes + " bytes); raise --ring-capacity");
            }
            options.responseSizeBytes((int) bytes);
        }
        return options;
    }

    /** A size that must leave room in the ring (for the line's newline, or the rest of the request). */
    private static int sizeBelowRing(final String flag, final String text, final int ringCapacityBytes) {
        final long bytes = Units.parseBytes(text);
        if (bytes >= ringCapacityBytes) {
            throw new IllegalArgumentException(flag + " " + text + " must be smaller than --ring-capacity ("
                + ringCapacityBytes + " bytes); raise --ring-capacity or lower " + flag);
        }
        return (int) bytes;
    }

    @Override
    public Integer call() throws Exception {
        final PrintStream out = System.out;
        final ServerSettings settings = settings(out);
        final long graceNs = Units.parseDurationNs(grace);
        final Server server = new Server(settings, System.err);
        for (final var address : server.tcpAddresses()) {
            out.println("listening tcp " + Units.format(address) + " protocol " + settings.protocol());
        }
        for (final var address : server.udpAddresses()) {
            out.println("listening udp " + Units.format(address) + " protocol " + settings.protocol());
        }
        if (server.countersFile() != null) {
            out.println("counters " + server.countersFile().file() + " (pid " + ProcessHandle.current().pid()
                + "; watch with 'ringside stat')");
        }
        out.flush();
        final CountDownLatch finished = new CountDownLatch(1);
        final Thread hook = new Thread(() -> {
            try {
                server.shutdown(graceNs);
            } catch (final InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            out.println("final counters:");
            out.print(server.totals().format(true));
            out.flush();
            server.close();
            finished.countDown();
        }, "ringside-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        server.start();
        finished.await();
        return 0;
    }
}
