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

import dev.ringside.bench.compare.CpuPinning;
import dev.ringside.bench.driver.BenchRunner;
import dev.ringside.bench.driver.BenchSettings;
import dev.ringside.bench.driver.Preflight;
import dev.ringside.bench.fleet.FleetPlan;
import dev.ringside.bench.fleet.FleetResult;
import dev.ringside.bench.fleet.GeneratorFleet;
import dev.ringside.bench.process.Argv;
import dev.ringside.bench.process.GeneratorFailure;
import dev.ringside.bench.process.OutputPaths;
import dev.ringside.bench.process.RunSignals;
import dev.ringside.bench.process.StartAt;
import dev.ringside.bench.record.BenchResult;
import dev.ringside.bench.record.ErrorKind;
import dev.ringside.bench.record.IntervalListener;
import dev.ringside.bench.record.IntervalLog;
import dev.ringside.bench.record.IntervalSample;
import dev.ringside.bench.record.MergedLogs;
import dev.ringside.bench.report.HtmlReport;
import dev.ringside.bench.report.JsonSummary;
import dev.ringside.bench.report.ProgressLine;
import dev.ringside.bench.report.ReportingWarmup;
import dev.ringside.bench.report.TextSummary;
import dev.ringside.bench.verdict.ExitStatus;
import dev.ringside.bench.verdict.Slo;
import dev.ringside.bench.verdict.Verdict;
import dev.ringside.bench.command.JsonFile;
import dev.ringside.bench.command.ProgressSwitch;
import dev.ringside.bench.command.ReportFile;
import dev.ringside.bench.command.SloList;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ringside bench}: drives a server with many clients, open loop at a fixed rate (coordinated
 * omission corrected) or closed loop, and reports latency percentiles, rates and errors.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
    modelTransformer = LoadOptions.RegistryOptions.class,
    description = {
        "Drive a server with thousands of clients and measure latency without coordinated omission.",
        "Open loop (default): every connection sends at its share of --rate on a fixed schedule; latency is "
            + "receive - intended send time, and receive - actual send time is kept as 'uncorrected'.",
        "Progress goes to stderr each second; the summary to stdout, ending with the verdict.",
        "SIGINT/SIGTERM stop the run early: in-flight replies get up to --timeout (a second signal skips that), "
            + "and the summary, JSON, log and report are written for what was measured."
    },
    footer = {"", ExitStatus.HELP})
public class BenchCommand implements Callable<Integer> {
    @Mixin
    LoadOptions load;

    @Option(names = {"-R", "--rate"}, paramLabel = "MSG/S",
        description = "total messages per second, open loop; required unless --closed-loop")
    Double rate;

    @Option(names = "--closed-loop", description = "send each request when a reply comes back (peak throughput)")
    boolean closedLoop;

    @Mixin
    JsonFile json = new JsonFile();

    @Option(names = "--hlog", paramLabel = "FILE", description = "write the HdrHistogram interval log here")
    Path hlog;

    @Mixin
    ReportFile report = new ReportFile();

    @Option(names = "--latency-distribution", description = "print the full HdrHistogram percentile tables")
    boolean latencyDistribution;

    @Mixin
    ProgressSwitch progress = new ProgressSwitch();

    @Mixin
    SloList slos = new SloList();

    @Option(names = "--allow-errors", description = "errors alone do not fail the run (exit 0 instead of 1)")
    boolean allowErrors;

    @Option(names = "--processes", defaultValue = "1", paramLabel = "N|auto",
        description = "generator processes: connections and rate are split between N child processes started on one "
            + "instant, and their interval logs merged into one result; auto = as many as the connections need at "
            + "this machine's open-files limit (default: ${DEFAULT-VALUE})")
    String processes;

    @Option(names = "--start-at", paramLabel = "TIME",
        description = "wait until this wall-clock time, then run: ISO-8601 with a zone (2026-12-03T14:00:00Z) or "
            + "seconds since the epoch; generators on several hosts started so line up for 'ringside merge'; or "
            + "'stdin': once ready, say so on stderr and read the time from standard input")
    String startAt;

    @Option(names = "--cpus", paramLabel = "LIST",
        description = "pin to these CPUs (taskset), e.g. 1-3: with --processes, child N goes to the Nth CPU in turn; "
            + "otherwise the generator's loop threads")
    String cpus;

    @Spec
    CommandSpec spec;

    /**
     * Builds and validates the settings from the options.
     *
     * @return the settings
     */
    public BenchSettings settings() {
        return load.settings(rate == null ? 0 : rate, closedLoop, spec);
    }

    @Override
    public Integer call() throws Exception {
        final BenchSettings settings = settings();
        final List<Slo> objectives = parseSlos(slos.texts());
        for (final Slo slo : objectives) {
            if (slo.metric() == Slo.Metric.RATE_PERCENT && settings.closedLoop()) {
                throw new IllegalArgumentException("--slo " + slo.text() + ": closed loop has no target rate; use "
                    + "rate=N (msg/s)");
            }
        }
        final Path jsonFile = json.checked();
        OutputPaths.checkFile("--hlog", hlog);
        final Path reportFile = report.checked();
        final long startAtMs = startAt == null ? -1 : StartAt.parse(startAt, System.currentTimeMillis());
        final List<String> cpuList = GeneratorFleet.cpuList(cpus);
        final int perProcess = Preflight.connectionsPerProcess(settings.threads());
        final int count = FleetPlan.processes(processes, settings.connections(), perProcess);
        final Outputs outputs = new Outputs(jsonFile, hlog, reportFile, latencyDistribution, progress.shown(),
            objectives, allowErrors, Argv.of(spec), startAtMs);
        if (count > 1) {
            return runProcesses(settings, count, perProcess, cpuList, outputs).verdict().exitCode();
        }
        preflight(settings);
        final List<IntervalListener> pinning = cpus == null ? List.of()
            : List.of(CpuPinning.onFirstInterval(cpus, System.err));
        return run(settings, outputs, System.out, System.err, pinning).verdict().exitCode();
    }

    private Finished runProcesses(final BenchSettings settings, final int count, final int perProcess,
        final List<String> cpuList, final Outputs outputs)
        throws IOException, InterruptedException {
        final List<FleetPlan.Share> shares = FleetPlan.split(settings, count, Preflight.portsPerSource());
        for (final FleetPlan.Share share : shares) {
            if (share.connections() > perProcess) {
                throw new GeneratorFailure("--processes " + processes + " gives a process " + share.connections()
                    + " connections, more than the " + perProcess + " one process can hold under the open-files "
                    + "limit: use --processes auto (" + FleetPlan.processes("auto", settings.connections(), perProcess)
                    + " processes)");
            }
        }
        final Path dir = Files.createTempDirectory("ringside-bench-processes-");
        final ProgressLine progress = outputs.progress() ? new ProgressLine(System.err, ProgressLine.isTerminal())
            : null;
        final GeneratorFleet fleet = new GeneratorFleet(settings, shares, cpuList,
            outputs.startAtMs(), dir, progress == null ? List.of() : List.of(progress), System.err);
        final BenchResult result;
        try {
            result = fleet.run();
        } finally {
            if (progress != null) {
                progress.close();
            }
        }
        if (outputs.hlog() != null) {
            writeMergedLog(outputs.hlog(), fleet.merged(), result);
        }
        return report(result, outputs, System.out);
    }

    /**
     * Writes merged interval logs as one: each union of intervals at the same time as one interval, then the
     * merged totals, so that the file reads as if one generator had written it.
     *
     * @param file   where
     * @param merged the merged logs
     * @param result the result made from them
     * @throws IOException when the file cannot be written
     */
    static void writeMergedLog(final Path file, final MergedLogs merged, final BenchResult result)
        throws IOException {
        try (IntervalLog log = new IntervalLog(file, result.info().startEpochMs(), "bench " + result.description())) {
            for (final MergedLogs.Interval interval : merged.intervals()) {
                log.write(interval.corrected(), interval.uncorrected(), interval.startEpochMs(), interval.endEpochMs());
            }
            writeConnectLatency(log, result);
            log.writeSummary(totals(result));
        }
    }

    private static void writeConnectLatency(final IntervalLog log, final BenchResult result) {
        if (result.churn().connectLatency().getTotalCount() > 0) {
            final long startMs = Math.max(0, result.info().startEpochMs());
            log.writeConnectLatency(result.churn().connectLatency(), startMs,
                startMs + Math.round(result.durationS() * 1000));
        }
    }

    /**
     * @param texts what was given to {@code --slo}
     * @return the parsed objectives
     * @throws IllegalArgumentException on the first bad one
     */
    static List<Slo> parseSlos(final List<String> texts) {
        final List<Slo> parsed = new ArrayList<>();
        for (final String text : texts) {
            parsed.add(Slo.parse(text));
        }
        return parsed;
    }

    /**
     * Checks that this machine can hold the run; a shortfall is the generator's failure (exit 4).
     *
     * @param settings the run
     */
    static void preflight(final BenchSettings settings) {
        try {
            Preflight.check(settings);
        } catch (final IllegalStateException ex) {
            throw new GeneratorFailure(ex.getMessage());
        }
    }

    /**
     * Where a run's results go, and how it is judged.
     *
     * @param json                JSON summary file, or {@code null}
     * @param hlog                interval log file, or {@code null}
     * @param report              HTML report file, or {@code null}
     * @param latencyDistribution print HdrHistogram's full tables
     * @param progress            print the progress line
     * @param slos                objectives checked at the end
     * @param allowErrors         errors alone do not fail the run
     * @param argv                the command line, for the JSON
     * @param startAtMs           the wall-clock instant the run waits for once it is ready to start
     *                            ({@code --start-at}), or -1 to start at once
     */
    record Outputs(Path json, Path hlog, Path report, boolean latencyDistribution, boolean progress, List<Slo> slos,
        boolean allowErrors, List<String> argv, long startAtMs) {

        /** Outputs of a run that starts at once. */
        Outputs(final Path json, final Path hlog, final Path report, final boolean latencyDistribution,
            final boolean progress, final List<Slo> slos, final boolean allowErrors, final List<String> argv) {
            this(json, hlog, report, latencyDistribution, progress, slos, allowErrors, argv, -1);
        }
    }

    /**
     * A finished run and its verdict.
     *
     * @param result  what was measured
     * @param verdict what it means
     */
    record Finished(BenchResult result, Verdict verdict) {
    }

    /**
     * Runs a benchmark and writes its outputs, with extra interval listeners. SIGINT and SIGTERM during the
     * run cut it short; what was measured is still reported and written.
     *
     * @param settings validated settings
     * @param outputs  where results go
     * @param out      summary stream
     * @param err      progress stream
     * @param extra    further listeners, called after the progress line and the interval log
     * @return the result and its verdict
     * @throws IOException          when an output file cannot be written
     * @throws InterruptedException when interrupted
     */
    static Finished run(final BenchSettings settings, final Outputs outputs, final PrintStream out,
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
                final long[] replies = new long[1];
                listeners.add(sample -> {
                    replies[0] += sample.completed();
                    if (sample.phase() == IntervalSample.Phase.MEASURING
                        || sample.phase() == IntervalSample.Phase.DRAINING) {
                        opened.write(sample.corrected(), sample.uncorrected(), sample.startEpochMs(),
                            sample.endEpochMs());
                    }
                    // After the interval's histograms: a reader that sees this line has them too.
                    opened.writeProgress(sample, replies[0]);
                });
            }
            listeners.addAll(extra);
            ReportingWarmup.run();
            if (outputs.startAtMs() >= 0 || outputs.startAtMs() == StartAt.TOLD_LATER) {
                // Last before the run: the JVM start and the warm-up above are not part of the shared instant.
                StartAt.await(StartAt.resolve(outputs.startAtMs(), System.in, err), err);
            }
            final BenchRunner runner = new BenchRunner(settings, listeners, err);
            final RunSignals.Watch signals = RunSignals.watch(runner::interrupt);
            try {
                result = runner.run();
            } finally {
                signals.close();
                if (progress != null) {
                    progress.close();
                }
            }
            if (log != null) {
                writeConnectLatency(log, result);
                log.writeSummary(totals(result));
            }
        } finally {
            if (log != null) {
                log.close();
            }
        }
        return report(result, outputs, out);
    }

    /**
     * Prints the summary, writes the JSON and the report, and prints the verdict.
     *
     * @param result  what was measured
     * @param outputs where results go
     * @param out     summary stream
     * @return the result and its verdict
     * @throws IOException when an output file cannot be written
     */
    static Finished report(final BenchResult result, final Outputs outputs, final PrintStream out)
        throws IOException {
        final Verdict verdict = Verdict.of(result, outputs.slos(), outputs.allowErrors());
        TextSummary.print(result, List.of(), out, outputs.latencyDistribution());
        if (outputs.json() != null) {
            Files.writeString(outputs.json(), JsonSummary.toJson(result, verdict, outputs.argv()),
                StandardCharsets.UTF_8);
            out.println("json    " + outputs.json());
        }
        if (outputs.hlog() != null) {
            out.println("hlog    " + outputs.hlog() + " (plot: HdrHistogram's HistogramLogProcessor, or "
                + "'ringside merge')");
        }
        if (outputs.report() != null) {
            Files.writeString(outputs.report(), HtmlReport.render(result, verdict.lines()), StandardCharsets.UTF_8);
            out.println("report  " + outputs.report());
        }
        for (final String line : verdict.lines()) {
            out.println(line);
        }
        out.flush();
        return new Finished(result, verdict);
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
        totals.put("requests.failed", result.requestErrors());
        totals.put("requests.inFlightAtEnd", result.inFlightAtEnd());
        totals.put("requests.lateReplies", result.lateReplies());
        totals.put("errors.total", result.errorTotal());
        for (final ErrorKind kind : ErrorKind.values()) {
            totals.put("errors." + kind.key(), result.errorCount(kind));
        }
        totals.put("udp.reordered", result.udpReordered());
        totals.put("durationS", result.durationS());
        // Beyond the JSON's keys: what merging several generators' logs needs to rebuild the result exactly.
        for (final Map.Entry<String, Long> status : result.statusClasses().entrySet()) {
            totals.put(FleetResult.STATUS_PREFIX + status.getKey(), status.getValue());
        }
        totals.put("generator.internalErrors", result.generator().internalErrors());
        if (result.churn().reconnects() >= 0) {
            totals.put("connections.reconnects", result.churn().reconnects());
            totals.put("connections.opened", result.churn().opened());
        }
        if (!result.generator().dutyCycles().isEmpty()) {
            totals.put("generator.maxDutyCycle", result.generator().maxDutyCycle());
        }
        return totals;
    }
}
