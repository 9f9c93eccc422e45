package dev.ringside.bench.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

import dev.ringside.bench.compare.CompareCommand;
import dev.ringside.bench.driver.BenchSettings;
import dev.ringside.bench.driver.Preflight;
import dev.ringside.bench.report.ReportingWarmup;
import dev.ringside.bench.sweep.BenchStepRunner;
import dev.ringside.bench.sweep.Objectives;
import dev.ringside.bench.sweep.RateSeries;
import dev.ringside.bench.sweep.SearchResult;
import dev.ringside.bench.sweep.SloSearch;
import dev.ringside.bench.sweep.StepJudge;
import dev.ringside.bench.sweep.Sweep;
import dev.ringside.bench.sweep.SweepJson;
import dev.ringside.bench.sweep.SweepOutcome;
import dev.ringside.bench.sweep.SweepReport;
import dev.ringside.bench.sweep.SweepStep;
import dev.ringside.bench.sweep.SweepTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ringside sweep}: {@code bench} at a series of open-loop rates against one target, with the
 * latency-vs-throughput curve, and with {@code --slo} the highest rate that meets every objective.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Run bench at a series of open-loop rates against one target (each step with fresh connections, its own "
            + "warm-up and --duration) and tabulate latency against throughput.",
        "A step that achieves under 90% of its rate, or misses an objective by a wide margin, is overloaded: the "
            + "sweep stops after it.",
        "With --slo it searches: brackets the highest rate meeting every objective with the --rates steps, then "
            + "bisects to --resolution, and says whether the generator or the server set the limit.",
        "Progress goes to stderr; the table to stdout."
    })
public final class SweepCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    LoadOptions load;

    @Option(names = "--rates", required = true, paramLabel = "LOW..HIGH|R,R,...",
        description = "rates to step through, msg/s: a range cut into --steps geometric steps (10k..200k) or an "
            + "ascending list (1k,5k,20k); k and M suffixes")
    String rates;

    @Option(names = "--steps", paramLabel = "N",
        description = "steps of a --rates range, ends included (default: " + RateSeries.DEFAULT_STEPS + ")")
    Integer steps;

    @Option(names = "--resolution", defaultValue = "2%", paramLabel = "PERCENT",
        description = "--slo search: narrow the bracket until its ends differ by at most this (default: "
            + "${DEFAULT-VALUE})")
    String resolution;

    @Option(names = "--json", paramLabel = "FILE", description = "write the steps and the answer as JSON here")
    Path json;

    @Option(names = "--report", paramLabel = "FILE.html", description = "write an HTML report with charts here")
    Path report;

    @Option(names = "--no-progress", description = "no per-second progress line on stderr")
    boolean noProgress;

    @Override
    public Integer call() throws Exception {
        final List<Double> series = RateSeries.parse(rates, steps);
        final double fraction = resolution();
        final Objectives objectives = objectives();
        final BenchSettings first = load.settings(series.get(0), false);
        Preflight.check(first);
        final PrintStream out = System.out;
        final PrintStream err = System.err;
        ReportingWarmup.run();
        final BenchStepRunner runner = new BenchStepRunner(rate -> load.settings(rate, false),
            new StepJudge(objectives), List::of, err, !noProgress);
        final int[] count = new int[1];
        final Consumer<SweepStep> onStep = step -> {
            count[0]++;
            err.printf(Locale.ROOT, "ringside sweep: step %d at %s msg/s: achieved %s, p99 %s, %s%n", count[0],
                RateSeries.format(step.targetRate()), RateSeries.format(step.achievedRate()),
                dev.ringside.bench.report.Quantities.micros(step.latency("p99")), step.verdict());
            err.flush();
        };
        err.println("ringside sweep: " + series.size() + " rates, " + RateSeries.format(series.get(0)) + " to "
            + RateSeries.format(series.get(series.size() - 1)) + " msg/s; " + first.describe());
        final SearchResult search;
        final List<SweepStep> run;
        if (objectives == Objectives.NONE) {
            search = null;
            run = Sweep.run(runner, series, onStep);
        } else {
            search = new SloSearch(runner, fraction, onStep).run(series);
            run = search.steps();
        }
        final SweepOutcome outcome = new SweepOutcome(CompareCommand.commandLine(spec, "sweep"),
            first.describe().replaceFirst("open loop at [^,]* msg/s", "open loop at each step's rate"),
            first.parameters(), objectives.describe(), objectives.latencyLimitsUs(), series, List.copyOf(run), search);
        out.println();
        SweepTable.print(outcome, out);
        if (json != null) {
            Files.writeString(json, SweepJson.toJson(outcome), StandardCharsets.UTF_8);
            out.println("json    " + json);
        }
        if (report != null) {
            Files.writeString(report, SweepReport.render(outcome), StandardCharsets.UTF_8);
            out.println("report  " + report);
        }
        out.flush();
        return 0;
    }

    private double resolution() {
        final String text = resolution.strip();
        final double value;
        try {
            value = Double.parseDouble(text.endsWith("%") ? text.substring(0, text.length() - 1) : text);
        } catch (final NumberFormatException ex) {
            throw new IllegalArgumentException("--resolution must be a percentage, e.g. 2%, got " + resolution);
        }
        if (!(value > 0 && value < 100)) {
            throw new IllegalArgumentException("--resolution must be between 0% and 100%, got " + resolution);
        }
        return value / 100;
    }

    private Objectives objectives() {
        return Objectives.NONE;
    }
}
