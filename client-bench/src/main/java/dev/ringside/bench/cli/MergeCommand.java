package dev.ringside.bench.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.ringside.bench.process.Argv;
import dev.ringside.bench.record.BenchResult;
import dev.ringside.bench.record.ErrorKind;
import dev.ringside.bench.record.GeneratorHealth;
import dev.ringside.bench.record.MergedLogs;
import dev.ringside.bench.record.RunInfo;
import dev.ringside.bench.report.JsonSummary;
import dev.ringside.bench.report.TextSummary;
import dev.ringside.bench.verdict.ExitStatus;
import dev.ringside.bench.verdict.Slo;
import dev.ringside.bench.verdict.Verdict;
import dev.ringside.bench.command.JsonFile;
import dev.ringside.bench.command.SloList;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ringside merge}: unions interval logs taken on several hosts (one generator per host, each with
 * {@code --hlog}) into one summary, as if one generator had produced every sample.
 */
@Command(name = "merge", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Merge HdrHistogram interval logs (.hlog) from several 'ringside bench --hlog' runs into one summary.",
        "Latency percentiles come from the union of every interval; counts, rates and errors are summed.",
        "Plot a log with HdrHistogram's own tools: java -cp ringside.jar org.HdrHistogram.HistogramLogProcessor "
            + "-i FILE.hlog -o OUT -outputValueUnitRatio 1000",
        "Figures come from the totals ringside bench writes at the end of each log; for logs without them "
            + "(cut short, or written by another HdrHistogram tool) only the histograms are used, and the summary "
            + "says so."
    },
    footer = {"", ExitStatus.HELP})
public class MergeCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE.hlog", description = "interval logs to merge")
    List<Path> logs = new ArrayList<>();

    @Mixin
    JsonFile jsonFile = new JsonFile();

    @Option(names = "--latency-distribution", description = "print the full HdrHistogram percentile tables")
    boolean latencyDistribution;

    @Mixin
    SloList slos = new SloList();

    @Option(names = "--allow-errors", description = "errors alone do not fail the merge (exit 0 instead of 1)")
    boolean allowErrors;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        final List<Slo> objectives = BenchCommand.parseSlos(slos.texts());
        final Path json = jsonFile.checked();
        final MergedLogs merged = MergedLogs.read(logs);
        final BenchResult result = toResult(merged);
        final Verdict verdict = Verdict.of(result, objectives, allowErrors);
        final PrintStream out = System.out;
        TextSummary.print(result, List.of(), out, latencyDistribution);
        if (json != null) {
            Files.writeString(json, JsonSummary.toJson(result, verdict, Argv.of(spec)),
                StandardCharsets.UTF_8);
            out.println("json    " + json);
        }
        for (final String line : verdict.lines()) {
            out.println(line);
        }
        out.flush();
        return verdict.exitCode();
    }

    /**
     * The merged figures, each from the best source the logs have: the totals {@code ringside bench} wrote
     * at the end of every log when all of them have totals, otherwise the histograms alone (completed requests
     * and latency; what the histograms cannot tell is unknown, -1, never a guess). Latency always comes from
     * the histograms. The result's {@code sources} says which.
     *
     * @param merged merged logs
     * @return the result the reports are made from
     */
    static BenchResult toResult(final MergedLogs merged) {
        final List<String> names = new ArrayList<>();
        for (final Path file : merged.files()) {
            names.add(file.toString());
        }
        final int files = names.size();
        final boolean totals = merged.allFilesHaveTotals();
        final Map<String, String> display = new LinkedHashMap<>();
        display.put("logs", String.join(", ", names));
        final Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("logs", names);
        final double spanS = merged.corrected().getTotalCount() == 0 || merged.startEpochMs() == Long.MAX_VALUE ? 0
            : (merged.endEpochMs() - merged.startEpochMs()) / 1000.0;
        final Double loggedDuration = totals ? merged.maximum("durationS") : null;
        final double durationS = loggedDuration != null ? loggedDuration : spanS;
        final long histogramCount = merged.corrected().getTotalCount();
        final long completed = totals ? longOr(merged.total("requests.completed"), histogramCount) : histogramCount;
        final long sent = totals ? longOr(merged.total("requests.sent"), -1) : -1;
        final double achieved = totals && merged.total("rate.achieved") != null ? merged.total("rate.achieved")
            : durationS > 0 ? completed / durationS : 0;
        final double target = totals && merged.total("rate.target") != null ? merged.total("rate.target") : 0;
        final Map<ErrorKind, Long> errors = new LinkedHashMap<>();
        if (totals) {
            for (final ErrorKind kind : ErrorKind.values()) {
                errors.put(kind, longOr(merged.total("errors." + kind.key()), 0));
            }
        }
        final Map<String, String> sources = new LinkedHashMap<>();
        final String logTotals = "the totals ringside bench wrote at the end of " + (files == 1 ? "the log"
            : "each log") + " (summed)";
        final String histograms = "the histograms: the log" + (files == 1 ? " carries" : "s carry")
            + " no ringside totals";
        sources.put("requests", totals ? logTotals : histograms + "; sent, failed and in flight are unknown");
        sources.put("errors", totals ? logTotals : "unknown: not in the logs");
        sources.put("connections", totals ? logTotals : "unknown: not in the logs");
        sources.put("rate", totals ? logTotals : "completed requests / the span of the intervals");
        sources.put("latency", "the histograms (every interval of every log, added)");
        final List<String> warnings = new ArrayList<>();
        if (merged.ringsideFiles() < files) {
            warnings.add((files - merged.ringsideFiles()) + " of " + files + " logs were not written by 'ringside "
                + "bench'; only their histograms are used");
        } else if (!totals) {
            warnings.add("some logs carry no ringside totals (cut short?): counts come from the histograms alone");
        }
        final long requested = totals ? longOr(merged.total("connections.requested"), -1) : -1;
        final long established = totals ? longOr(merged.total("connections.established"), -1) : -1;
        if (established < requested) {
            warnings.add("only " + established + " of " + requested + " connections were established");
        }
        if (target > 0 && achieved < 0.99 * target) {
            warnings.add(String.format(Locale.ROOT, "achieved %.1f msg/s is %.1f%% of the %.1f msg/s target", achieved,
                100 * achieved / target, target));
        }
        final String description = "merge of " + files + " interval log" + (files == 1 ? "" : "s")
            + (merged.ringsideFiles() == 0 ? " (HdrHistogram logs not written by ringside bench)" : "");
        final RunInfo info = new RunInfo("merge", description, display, parameters,
            merged.startEpochMs() == Long.MAX_VALUE ? -1 : merged.startEpochMs());
        return new BenchResult(info, totals && target == 0, requested, established, target, achieved, sent, completed,
            totals ? longOr(merged.total("requests.inFlightAtEnd"), 0) : -1, errors,
            totals ? longOr(merged.total("requests.lateReplies"), 0) : -1,
            totals ? longOr(merged.total("udp.reordered"), 0) : -1, -1, 0, durationS,
            merged.corrected(), merged.uncorrected(), merged.intervalStats(), warnings, GeneratorHealth.unknown(),
            sources);
    }

    private static long longOr(final Double value, final long fallback) {
        return value == null ? fallback : Math.round(value);
    }
}
