package dev.ringside.bench.cli;

import dev.ringside.bench.driver.BenchSettings;
import dev.ringside.engine.config.Units;
import dev.ringside.engine.protocol.ProtocolSpec;
import dev.ringside.engine.protocols.Protocols;
import dev.ringside.bench.command.IdleOption;
import dev.ringside.bench.command.LoadWindow;
import dev.ringside.bench.command.ProtocolChoice;
import dev.ringside.bench.command.ProtocolFlags;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * What a load is made of, apart from its rate: target, protocol, connections, sizes, timing, generator
 * threads. A picocli mixin, so {@code bench} and {@code sweep} take the same options with one definition.
 * The protocol's help and each protocol's own options come from the registry: a command using this mixin
 * names {@link RegistryOptions} as its model transformer.
 */
public final class LoadOptions {
    @Option(names = "--target", paramLabel = "HOST:PORT", description = "the server to drive (required)")
    String target;

    // The help lines and each protocol's own options are generated from the registry (RegistryOptions below).
    @Mixin
    ProtocolChoice protocol = new ProtocolChoice();

    @Option(names = "--udp", description = "use UDP (protocols marked UDP above): one socket per --connections")
    boolean udp;

    @Option(names = {"-c", "--connections"}, defaultValue = "10", paramLabel = "N",
        description = "connections (UDP: sockets) (default: ${DEFAULT-VALUE})")
    int connections;

    @Option(names = "--pipeline", defaultValue = "1", paramLabel = "N",
        description = "requests in flight per connection at most (default: ${DEFAULT-VALUE})")
    int pipeline;

    // --size (its help per protocol, from the registry), --duration, --warmup, --timeout: as compare's.
    @Mixin
    LoadWindow window = new LoadWindow();

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

    @Option(names = "--bind", paramLabel = "ADDRESSES",
        description = "source addresses used round-robin, e.g. 127.0.0.2-127.0.0.9 (past ~28k connections)")
    String bind;

    @Option(names = "--no-reconnect",
        description = "leave a connection the server closes closed (default: reopen it at once, within --connect-rate, "
            + "keeping its schedule)")
    boolean noReconnect;

    @Option(names = "--requests-per-connection", paramLabel = "N",
        description = "close each connection after N replies and open a new one (1: connect, request, close, as "
            + "netperf TCP_CRR); reports connections/s and connect latency")
    Integer requestsPerConnection;

    @Mixin
    IdleOption idle = new IdleOption();


    /**
     * Builds and validates the settings from the options, for one load.
     *
     * @param rate       total messages per second, open loop; 0 with closed loop
     * @param closedLoop whether to send each request when a reply comes back
     * @param command    the parsed command using this mixin, whose protocol options are read; {@code null}
     *                   when it was not parsed from a command line (no protocol options given)
     * @return the settings
     */
    public BenchSettings settings(final double rate, final boolean closedLoop, final CommandSpec command) {
        if (target == null) {
            throw new IllegalArgumentException("--target HOST:PORT is required, e.g. --target 127.0.0.1:5000");
        }
        final BenchSettings settings = new BenchSettings()
            .target(Units.parseAddress(target))
            .udp(udp)
            .connections(connections)
            .rate(rate)
            .closedLoop(closedLoop)
            .pipeline(pipeline)
            .size(window.sizeBytes())
            .durationNs(window.durationNs())
            .warmupNs(window.warmupNs())
            .threads(threads)
            .connectTimeoutNs(Units.parseDurationNs(connectTimeout))
            .timeoutNs(window.timeoutNs())
            .idleMode(idle.mode())
            .reconnect(!noReconnect);
        if (requestsPerConnection != null) {
            if (requestsPerConnection < 1) {
                throw new IllegalArgumentException("--requests-per-connection must be at least 1, got "
                    + requestsPerConnection);
            }
            settings.requestsPerConnection(requestsPerConnection);
        }
        final ProtocolSpec spoken = Protocols.drivable(protocol.name());
        settings.protocol(spoken, ProtocolFlags.values(command, spoken, ProtocolSpec::clientOptions));
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

    /** Adds the registry's protocol help and client options to a command using this mixin, before it parses. */
    static final class RegistryOptions implements IModelTransformer {
        @Override
        public CommandSpec transform(final CommandSpec command) {
            return ProtocolFlags.install(command, Protocols.drivable(), ProtocolSpec::clientOptions);
        }
    }
}
