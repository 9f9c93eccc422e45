package dev.ringside.bench.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.ringside.bench.record.BenchResult;
import dev.ringside.bench.record.ErrorKind;
import dev.ringside.bench.record.MergedLogs;
import dev.ringside.bench.report.JsonSummary;
import dev.ringside.bench.report.TextSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ringside merge}: unions interval logs taken on several hosts (one generator per host, each with
 * {@code --hlog}) into one summary, as if one generator had produced every sample.
 */
@Command(name = "merge", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Merge HdrHistogram interval logs (.hlog) from several 'ringside bench --hlog' runs into one summary.",
        "Latency percentiles come from the union of every interval; counts, rates and errors are summed.",
        "Plot a log with HdrHistogram's own tools: java -cp ringside.jar org.HdrHistogram.HistogramLogProcessor "
            + "-i FILE.hlog -o OUT -outputValueUnitRatio 1000"
    })
public class MergeCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE.hlog", description = "interval logs to merge")
    List<Path> logs = new ArrayList<>();

    @Option(names = "--json", paramLabel = "FILE", description = "write the merged JSON summary here")
    Path json;

    @Option(names = "--latency-distribution", description = "print the full HdrHistogram percentile tables")
    boolean latencyDistribution;

    @Override
    public Integer call() throws IOException {
        final MergedLogs merged = MergedLogs.read(logs);
        final BenchResult result = toResult(merged);
        final PrintStream out = System.out;
        TextSummary.print(result, out, latencyDistribution);
        if (json != null) {
            Files.writeString(json, JsonSummary.toJson(result), StandardCharsets.UTF_8);
            out.println("json    " + json);
        }
        return 0;
    }

    /**
     * @param merged merged logs
     * @return the result the reports are made from
     */
    static BenchResult toResult(final MergedLogs merged) {
        final List<String> names = new ArrayList<>();
        for (final Path file : merged.files()) {
            names.add(file.toString());
        }
        final Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("logs", String.join(", ", names));
        final double spanS = merged.corrected().getTotalCount() == 0 || merged.startEpochMs() == Long.MAX_VALUE ? 0
            : (merged.endEpochMs() - merged.startEpochMs()) / 1000.0;
        final Double loggedDuration = merged.maximum("durationS");
        final double durationS = loggedDuration != null ? loggedDuration : spanS;
        final long completed = longOr(merged.total("requests.completed"), merged.corrected().getTotalCount());
        final long sent = longOr(merged.total("requests.sent"), completed);
        final double achieved = merged.allFilesHaveTotals() && merged.total("rate.achieved") != null
            ? merged.total("rate.achieved") : durationS > 0 ? completed / durationS : 0;
        final double target = merged.total("rate.target") == null ? 0 : merged.total("rate.target");
        final Map<ErrorKind, Long> errors = new EnumMap<>(ErrorKind.class);
        for (final ErrorKind kind : ErrorKind.values()) {
            errors.put(kind, longOr(merged.total("errors." + kind.key()), 0));
        }
        final List<String> warnings = new ArrayList<>();
        if (!merged.allFilesHaveTotals()) {
            warnings.add("some logs carry no ringside totals (not written by 'ringside bench', or cut short): "
                + "counts come from the histograms alone");
        }
        final long requested = longOr(merged.total("connections.requested"), 0);
        final long established = longOr(merged.total("connections.established"), 0);
        if (established < requested) {
            warnings.add("only " + established + " of " + requested + " connections were established");
        }
        if (target > 0 && achieved < 0.99 * target) {
            warnings.add(String.format(Locale.ROOT, "achieved %.1f msg/s is %.1f%% of the %.1f msg/s target", achieved,
                100 * achieved / target, target));
        }
        return new BenchResult("merge of " + names.size() + " interval log" + (names.size() == 1 ? "" : "s"),
            parameters, target == 0, requested, established, target, achieved, sent, completed, errors,
            longOr(merged.total("udp.reordered"), 0), longOr(merged.total("udp.late"), 0), -1, 0, durationS,
            merged.corrected(), merged.uncorrected(), List.of(), warnings, Map.of());
    }

    private static long longOr(final Double value, final long fallback) {
        return value == null ? fallback : Math.round(value);
    }
}
