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
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ringside bench}: drives a server with many clients, open loop at a fixed rate (coordinated
 * omission corrected) or closed loop, and reports latency percentiles, rates and errors.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Drive a server with thousands of clients and measure latency without coordinated omission.",
        "Open loop (default): every connection sends at its share of --rate on a fixed schedule; latency is "
            + "receive - intended send time, and receive - actual send time is kept as 'uncorrected'.",
        "Progress goes to stderr each second; the summary to stdout."
    })
public class BenchCommand implements Callable<Integer> {
    @Mixin
    LoadOptions load;

    @Option(names = {"-R", "--rate"}, paramLabel = "MSG/S",
        description = "total messages per second, open loop; required unless --closed-loop")
    Double rate;

    @Option(names = "--closed-loop", description = "send each request when a reply comes back (peak throughput)")
    boolean closedLoop;

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

    /**
     * Builds and validates the settings from the options.
     *
     * @return the settings
     */
    public BenchSettings settings() {
        return load.settings(rate == null ? 0 : rate, closedLoop);
    }

    @Override
    public Integer call() throws Exception {
        final BenchSettings settings = settings();
        Preflight.check(settings);
        run(settings, new Outputs(json, hlog, report, latencyDistribution, !noProgress), System.out, System.err);
        return 0;
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
