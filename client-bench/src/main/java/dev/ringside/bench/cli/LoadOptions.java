package dev.ringside.bench.cli;

import dev.ringside.bench.driver.BenchProtocol;
import dev.ringside.bench.driver.BenchSettings;
import dev.ringside.engine.config.IdleMode;
import dev.ringside.engine.server.Units;
import picocli.CommandLine.Option;

/**
 * What a load is made of, apart from its rate: target, protocol, connections, sizes, timing, generator
 * threads. A picocli mixin, so {@code bench} and {@code sweep} take the same options with one definition.
 */
public final class LoadOptions {
    @Option(names = "--target", paramLabel = "HOST:PORT", description = "the server to drive (required)")
    String target;

    @Option(names = "--protocol", defaultValue = "echo", paramLabel = "NAME",
        description = "echo | rr | http | chat | sockperf (default: ${DEFAULT-VALUE})")
    String protocol;

    @Option(names = "--udp", description = "use UDP (echo, rr, sockperf): one socket per --connections")
    boolean udp;

    @Option(names = {"-c", "--connections"}, defaultValue = "10", paramLabel = "N",
        description = "connections (UDP: sockets) (default: ${DEFAULT-VALUE})")
    int connections;

    @Option(names = "--pipeline", defaultValue = "1", paramLabel = "N",
        description = "requests in flight per connection at most (default: ${DEFAULT-VALUE})")
    int pipeline;

    @Option(names = "--size", defaultValue = "64", paramLabel = "BYTES",
        description = "message size: echo payload, rr request payload, sockperf message, chat line "
            + "(default: ${DEFAULT-VALUE})")
    String size;

    @Option(names = {"-d", "--duration"}, defaultValue = "10s", paramLabel = "DURATION",
        description = "measurement length (default: ${DEFAULT-VALUE})")
    String duration;

    @Option(names = "--warmup", defaultValue = "2s", paramLabel = "DURATION",
        description = "load before measuring; its samples are discarded (default: ${DEFAULT-VALUE})")
    String warmup;

    @Option(names = {"-t", "--threads"}, defaultValue = "1", paramLabel = "N",
        description = "generator threads, one event loop each (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--ramp", paramLabel = "DURATION",
        description = "spread connection establishment over this long (sets the connect rate)")
    String ramp;

    @Option(names = "--connect-rate", paramLabel = "CONN/S",
        description = "new connections per second at most (default: 10000)")
    Double connectRate;

    @Option(names = "--connect-timeout", defaultValue = "5s", paramLabel = "DURATION",
        description = "how long a connect may take (default: ${DEFAULT-VALUE})")
    String connectTimeout;

    @Option(names = "--timeout", defaultValue = "2s", paramLabel = "DURATION",
        description = "reply timeout: TCP counts a timeout, UDP counts the request lost (default: ${DEFAULT-VALUE})")
    String timeout;

    @Option(names = "--bind", paramLabel = "ADDRESSES",
        description = "source addresses used round-robin, e.g. 127.0.0.2-127.0.0.9 (past ~28k connections)")
    String bind;

    @Option(names = "--publishers", defaultValue = "1", paramLabel = "N",
        description = "chat: connections that publish; all members record deliveries (default: ${DEFAULT-VALUE})")
    int publishers;

    @Option(names = "--path", defaultValue = "/", paramLabel = "PATH", description = "http: request path")
    String path;

    @Option(names = "--idle", defaultValue = "block", paramLabel = "MODE",
        description = "block | spin | backoff: what generator threads do when idle (default: ${DEFAULT-VALUE})")
    IdleMode idle;


    /**
     * Builds and validates the settings from the options, for one load.
     *
     * @param rate       total messages per second, open loop; 0 with closed loop
     * @param closedLoop whether to send each request when a reply comes back
     * @return the settings
     */
    public BenchSettings settings(final double rate, final boolean closedLoop) {
        if (target == null) {
            throw new IllegalArgumentException("--target HOST:PORT is required, e.g. --target 127.0.0.1:5000");
        }
        final long sizeBytes = Units.parseBytes(size);
        if (sizeBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("--size too large: " + size);
        }
        final BenchSettings settings = new BenchSettings()
            .target(Units.parseAddress(target))
            .protocol(BenchProtocol.parse(protocol))
            .udp(udp)
            .connections(connections)
            .rate(rate)
            .closedLoop(closedLoop)
            .pipeline(pipeline)
            .size((int) sizeBytes)
            .durationNs(Units.parseDurationNs(duration))
            .warmupNs(Units.parseDurationNs(warmup))
            .threads(threads)
            .connectTimeoutNs(Units.parseDurationNs(connectTimeout))
            .timeoutNs(Units.parseDurationNs(timeout))
            .idleMode(idle)
            .publishers(publishers)
            .httpPath(path);
        double connectsPerSecond = connectRate == null ? 10_000 : connectRate;
        if (ramp != null) {
            final long rampNs = Units.parseDurationNs(ramp);
            if (rampNs <= 0) {
                throw new IllegalArgumentException("--ramp must be positive");
            }
            final double rampRate = connections / (rampNs / 1e9);
            connectsPerSecond = connectRate == null ? rampRate : Math.min(rampRate, connectRate);
        }
        settings.connectRate(connectsPerSecond);
        if (bind != null) {
            settings.bindAddresses(AddressRange.parse(bind));
        }
        return settings.validate();
    }
}
