package dev.ringside.bench.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.ringside.bench.driver.BenchRunner;
import dev.ringside.bench.driver.BenchSettings;
import dev.ringside.bench.driver.Preflight;
import dev.ringside.bench.record.BenchResult;
import dev.ringside.bench.record.ErrorKind;
import dev.ringside.bench.record.IntervalListener;
import dev.ringside.bench.record.IntervalLog;
import dev.ringside.bench.record.IntervalSample;
import dev.ringside.bench.report.HtmlReport;
import dev.ringside.bench.report.JsonSummary;
import dev.ringside.bench.report.ProgressLine;
import dev.ringside.bench.report.ReportingWarmup;
import dev.ringside.bench.report.TextSummary;
import dev.ringside.engine.config.IdleMode;
import dev.ringside.engine.config.Units;
import dev.ringside.engine.protocol.ProtocolSpec;
import dev.ringside.engine.protocols.Protocols;
import dev.ringside.engine.server.ProtocolFlags;
import picocli.CommandLine.Command;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ringside bench}: drives a server with many clients, open loop at a fixed rate (coordinated
 * omission corrected) or closed loop, and reports latency percentiles, rates and errors.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
    modelTransformer = BenchCommand.RegistryOptions.class,
    description = {
        "Drive a server with thousands of clients and measure latency without coordinated omission.",
        "Open loop (default): every connection sends at its share of --rate on a fixed schedule; latency is "
            + "receive - intended send time, and receive - actual send time is kept as 'uncorrected'.",
        "Progress goes to stderr each second; the summary to stdout."
    })
public class BenchCommand implements Callable<Integer> {
    @Option(names = "--target", paramLabel = "HOST:PORT", description = "the server to drive (required)")
    String target;

    // The help lines and each protocol's own options are generated from the registry (RegistryOptions below).
    @Option(names = ProtocolFlags.PROTOCOL_OPTION, defaultValue = "echo", paramLabel = "NAME")
    String protocol;

    @Option(names = "--udp", description = "use UDP (protocols marked UDP above): one socket per --connections")
    boolean udp;

    @Option(names = {"-c", "--connections"}, defaultValue = "10", paramLabel = "N",
        description = "connections (UDP: sockets) (default: ${DEFAULT-VALUE})")
    int connections;

    @Option(names = {"-R", "--rate"}, paramLabel = "MSG/S",
        description = "total messages per second, open loop; required unless --closed-loop")
    Double rate;

    @Option(names = "--closed-loop", description = "send each request when a reply comes back (peak throughput)")
    boolean closedLoop;

    @Option(names = "--pipeline", defaultValue = "1", paramLabel = "N",
        description = "requests in flight per connection at most (default: ${DEFAULT-VALUE})")
    int pipeline;

    // The help says what the size means for each protocol, from the registry.
    @Option(names = ProtocolFlags.SIZE_OPTION, defaultValue = "64", paramLabel = "BYTES")
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


    @Option(names = "--idle", defaultValue = "block", paramLabel = "MODE",
        description = "block | spin | backoff: what generator threads do when idle (default: ${DEFAULT-VALUE})")
    IdleMode idle;

    @Option(names = "--json", paramLabel = "FILE", description = "write the JSON summary here")
    Path json;

    @Option(names = "--hlog", paramLabel = "FILE", description = "write the HdrHistogram interval log here")
    Path hlog;

    @Option(names = "--report", paramLabel = "FILE.html", description = "write a self-contained HTML report here")
    Path report;

    @Option(names = "--latency-distribution", description = "print the full HdrHistogram percentile tables")
    boolean latencyDistribution;

    @Option(names = "--no-progress", description = "no progress line on stderr")
    boolean noProgress;

    @Spec
    CommandSpec spec;

    /**
     * Builds and validates the settings from the options.
     *
     * @return the settings
     */
    public BenchSettings settings() {
        if (target == null) {
            throw new IllegalArgumentException("--target HOST:PORT is required, e.g. --target 127.0.0.1:5000");
        }
        final long sizeBytes = Units.parseBytes(size);
        if (sizeBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("--size too large: " + size);
        }
        final BenchSettings settings = new BenchSettings()
            .target(Units.parseAddress(target))
            .udp(udp)
            .connections(connections)
            .rate(rate == null ? 0 : rate)
            .closedLoop(closedLoop)
            .pipeline(pipeline)
            .size((int) sizeBytes)
            .durationNs(Units.parseDurationNs(duration))
            .warmupNs(Units.parseDurationNs(warmup))
            .threads(threads)
            .connectTimeoutNs(Units.parseDurationNs(connectTimeout))
            .timeoutNs(Units.parseDurationNs(timeout))
            .idleMode(idle);
        final ProtocolSpec spoken = Protocols.drivable(protocol);
        settings.protocol(spoken, ProtocolFlags.values(spec, spoken, ProtocolSpec::clientOptions));
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

    @Override
    public Integer call() throws Exception {
        final BenchSettings settings = settings();
        Preflight.check(settings);
        run(settings, new Outputs(json, hlog, report, latencyDistribution, !noProgress), System.out, System.err);
        return 0;
    }

    /** Adds the registry's protocol help and client options to this command before it parses. */
    static final class RegistryOptions implements IModelTransformer {
        @Override
        public CommandSpec transform(final CommandSpec command) {
            return ProtocolFlags.install(command, Protocols.drivable(), ProtocolSpec::clientOptions);
        }
    }

    /** Where a run's results go. */
    record Outputs(Path json, Path hlog, Path report, boolean latencyDistribution, boolean progress) {
    }

    /**
     * Runs a benchmark and writes its outputs.
     *
     * @param settings validated settings
     * @param outputs  where results go
     * @param out      summary stream
     * @param err      progress stream
     * @return the result
     * @throws IOException          when an output file cannot be written
     * @throws InterruptedException when interrupted
     */
    static BenchResult run(final BenchSettings settings, final Outputs outputs, final PrintStream out,
        final PrintStream err) throws IOException, InterruptedException {
        return run(settings, outputs, out, err, List.of());
    }

    /**
     * Runs a benchmark and writes its outputs, with extra interval listeners.
     *
     * @param settings validated settings
     * @param outputs  where results go
     * @param out      summary stream
     * @param err      progress stream
     * @param extra    further listeners, called after the progress line and the interval log
     * @return the result
     * @throws IOException          when an output file cannot be written
     * @throws InterruptedException when interrupted
     */
    static BenchResult run(final BenchSettings settings, final Outputs outputs, final PrintStream out,
        final PrintStream err, final List<IntervalListener> extra) throws IOException, InterruptedException {
        final List<IntervalListener> listeners = new ArrayList<>();
        final ProgressLine progress = outputs.progress() ? new ProgressLine(err, ProgressLine.isTerminal()) : null;
        if (progress != null) {
            listeners.add(progress);
        }
        IntervalLog log = null;
        final BenchResult result;
        try {
            if (outputs.hlog() != null) {
                final IntervalLog opened = new IntervalLog(outputs.hlog(), System.currentTimeMillis(),
                    "bench " + settings.describe());
                log = opened;
                listeners.add(sample -> {
                    if (sample.phase() == IntervalSample.Phase.MEASURING
                        || sample.phase() == IntervalSample.Phase.DRAINING) {
                        opened.write(sample.corrected(), sample.uncorrected(), sample.startEpochMs(),
                            sample.endEpochMs());
                    }
                });
            }
            listeners.addAll(extra);
            ReportingWarmup.run();
            try {
                result = new BenchRunner(settings, listeners, err).run();
            } finally {
                if (progress != null) {
                    progress.close();
                }
            }
            if (log != null) {
                log.writeSummary(totals(result));
            }
        } finally {
            if (log != null) {
                log.close();
            }
        }
        TextSummary.print(result, out, outputs.latencyDistribution());
        if (outputs.json() != null) {
            Files.writeString(outputs.json(), JsonSummary.toJson(result), StandardCharsets.UTF_8);
            out.println("json    " + outputs.json());
        }
        if (outputs.hlog() != null) {
            out.println("hlog    " + outputs.hlog() + " (plot: HdrHistogram's HistogramLogProcessor, or "
                + "'ringside merge')");
        }
        if (outputs.report() != null) {
            Files.writeString(outputs.report(), HtmlReport.render(result), StandardCharsets.UTF_8);
            out.println("report  " + outputs.report());
        }
        out.flush();
        return result;
    }

    /**
     * @param result a run
     * @return its totals under the JSON keys, for the interval log's closing comment
     */
    static Map<String, Number> totals(final BenchResult result) {
        final Map<String, Number> totals = new LinkedHashMap<>();
        totals.put("connections.requested", result.connectionsRequested());
        totals.put("connections.established", result.connectionsEstablished());
        totals.put("rate.target", result.targetRate());
        totals.put("rate.achieved", result.achievedRate());
        totals.put("requests.sent", result.sent());
        totals.put("requests.completed", result.completed());
        totals.put("errors.total", result.errorTotal());
        for (final ErrorKind kind : ErrorKind.values()) {
            totals.put("errors." + kind.key(), result.errorCount(kind));
        }
        totals.put("udp.reordered", result.udpReordered());
        totals.put("udp.late", result.udpLate());
        totals.put("durationS", result.durationS());
        return totals;
    }
}
