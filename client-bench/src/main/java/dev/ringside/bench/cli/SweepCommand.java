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
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

import dev.ringside.bench.driver.BenchSettings;
import dev.ringside.bench.process.Argv;
import dev.ringside.bench.process.RunSignals;
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
 * {@code ringside sweep}: {@code bench} at a series of open-loop rates against one target, with the
 * latency-vs-throughput curve, and with {@code --slo} the highest rate that meets every objective.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
    modelTransformer = LoadOptions.RegistryOptions.class,
    description = {
        "Run bench at a series of open-loop rates against one target (each step with fresh connections, its own "
            + "warm-up and --duration) and tabulate latency against throughput.",
        "A step that achieves under 90%% of its rate, or misses an objective by a wide margin, is overloaded: the "
            + "sweep stops after it.",
        "With --slo it searches: brackets the highest rate meeting every objective with the --rates steps, then "
            + "bisects to --resolution, and says whether the generator or the server set the limit.",
        "Progress goes to stderr; the table to stdout.",
        "SIGINT/SIGTERM stop it early: the step under way stops sending and drains (a second signal skips that) "
            + "and is left out; the table, JSON and report cover the steps that finished.",
        "Exit status: 0 measured (an overloaded top step is what a sweep is for); 1 the first step could not run; "
            + "2 usage error; 3 --slo given and no rate met it; 130/143 interrupted by SIGINT/SIGTERM."
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

    @Mixin
    SloList slos = new SloList();

    @Mixin
    JsonFile jsonFile = new JsonFile();

    @Mixin
    ReportFile reportFile = new ReportFile();

    @Mixin
    ProgressSwitch progress = new ProgressSwitch();

    @Override
    public Integer call() throws Exception {
        final List<Double> series = RateSeries.parse(rates, steps);
        final double fraction = RateSeries.resolution(resolution);
        final Objectives objectives = Objectives.parse(slos.texts());
        jsonFile.checked();
        reportFile.checked();
        final BenchSettings first = load.settings(series.get(0), false, spec);
        BenchCommand.preflight(first);
        final PrintStream out = System.out;
        final PrintStream err = System.err;
        ReportingWarmup.run();
        final BenchStepRunner runner = new BenchStepRunner(rate -> load.settings(rate, false, spec),
            new StepJudge(objectives), List::of, err, progress.shown());
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
        // Watched until the results are written: a second Ctrl-C landing after the last step then finds a
        // target and does nothing, instead of the default handler exiting with the output half written.
        final RunSignals.Watch signals = RunSignals.watch(runner::interrupt);
        try {
            final SearchResult search;
            final List<SweepStep> run;
            if (objectives.isEmpty()) {
                search = null;
                run = Sweep.run(runner, series, onStep);
            } else {
                search = new SloSearch(runner, fraction, onStep).run(series);
                run = search.steps();
            }
            return report(runner, first, series, objectives, run, search, out, err);
        } finally {
            signals.close();
        }
    }

    private int report(final BenchStepRunner runner, final BenchSettings first, final List<Double> series,
        final Objectives objectives, final List<SweepStep> run, final SearchResult search, final PrintStream out,
        final PrintStream err) throws IOException {
        if (runner.interruptedBy() != null) {
            err.println("ringside sweep: interrupted by " + runner.interruptedBy() + ": the step under way is left "
                + "out; the " + run.size() + " finished steps are kept");
        }
        final SweepOutcome outcome = new SweepOutcome(Argv.of(spec),
            first.describe().replaceFirst("open loop at [^,]* msg/s", "open loop at each step's rate"),
            parameters(first.parameters(), series), objectives.describe(), objectives.latencyLimitsUs(), series,
            List.copyOf(run), search, runner.interruptedBy());
        out.println();
        SweepTable.print(outcome, out);
        final Path json = jsonFile.checked();
        final Path report = reportFile.checked();
        if (json != null) {
            Files.writeString(json, SweepJson.toJson(outcome), StandardCharsets.UTF_8);
            out.println("json    " + json);
        }
        if (report != null) {
            Files.writeString(report, SweepReport.render(outcome), StandardCharsets.UTF_8);
            out.println("report  " + report);
        }
        out.println(outcome.verdictLine());
        out.flush();
        return outcome.exitStatus();
    }

    private static Map<String, String> parameters(final Map<String, String> first, final List<Double> series) {
        final Map<String, String> parameters = new LinkedHashMap<>(first);
        final List<String> rates = new ArrayList<>();
        for (final double rate : series) {
            rates.add(RateSeries.format(rate));
        }
        parameters.put("load", "open loop, each step at its own rate: " + String.join(", ", rates) + " msg/s");
        return parameters;
    }
}
