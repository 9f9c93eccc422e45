package dev.ringside.bench.compare;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.ringside.bench.driver.BenchSettings;
import dev.ringside.bench.record.IntervalListener;
import dev.ringside.bench.report.ReportingWarmup;
import dev.ringside.bench.sweep.BenchStepRunner;
import dev.ringside.bench.sweep.Objectives;
import dev.ringside.bench.sweep.RateSeries;
import dev.ringside.bench.sweep.SearchResult;
import dev.ringside.bench.sweep.SloSearch;
import dev.ringside.bench.sweep.StepJudge;
import dev.ringside.bench.sweep.Sweep;
import dev.ringside.bench.sweep.SweepOutcome;
import dev.ringside.bench.sweep.SweepStep;
import dev.ringside.engine.model.ServerModel;

/**
 * {@code compare --sweep}: every model gets the same sweep (or SLO search) at each connection count, each
 * cell against a fresh server child that lives for the whole sweep and is stopped by its pid. Steps are
 * whole bench runs with fresh connections, pinned as compare pins. The server's CPU, memory and thread
 * counts are not measured per step here (plain {@code compare} does that at one rate).
 */
public final class CompareSweep {
    private final CompareSettings settings;
    private final List<Double> rates;
    private final Objectives objectives;
    private final double resolution;
    private final Path logs;
    private final PrintStream progress;

    /**
     * @param settings   validated compare settings (models, connections, protocol, size, timing, pinning)
     * @param rates      the rates of every sweep, ascending
     * @param objectives the objectives (none: plain sweeps)
     * @param resolution the search's resolution, a fraction
     * @param logs       an existing directory for the servers' output
     * @param progress   where a line per step goes
     */
    public CompareSweep(final CompareSettings settings, final List<Double> rates, final Objectives objectives,
        final double resolution, final Path logs, final PrintStream progress) {
        this.settings = settings;
        this.rates = List.copyOf(rates);
        this.objectives = objectives;
        this.resolution = resolution;
        this.logs = logs;
        this.progress = progress;
    }

    /**
     * @param argv the command line, for the record
     * @return every cell's sweep
     * @throws InterruptedException when interrupted (the current child is stopped first)
     */
    public SweepComparison run(final List<String> argv) throws InterruptedException {
        ReportingWarmup.run();
        final List<SweepCell> cells = new ArrayList<>();
        final int total = settings.models().size() * settings.connections().size();
        progress.println("ringside compare --sweep: " + total + " sweeps of " + rates.size() + " rates; "
            + settings.pinningDescription());
        progress.println("ringside compare --sweep: server output in " + logs);
        for (final ServerModel model : settings.models()) {
            for (final int connections : settings.connections()) {
                progress.printf(Locale.ROOT, "ringside compare --sweep: [%d/%d] %s, %d connections%n",
                    cells.size() + 1, total, model.label(), connections);
                cells.add(runCell(argv, model, connections));
            }
        }
        return new SweepComparison(argv, parameters(), objectives.describe(), List.copyOf(cells), logs.toString());
    }

    private SweepCell runCell(final List<String> argv, final ServerModel model, final int connections)
        throws InterruptedException {
        final ServerChild child;
        try {
            child = ServerChild.start(settings.serverCommand(model), logs.resolve(model.label() + "-" + connections
                + "-sweep.log"));
        } catch (final IOException ex) {
            return new SweepCell(model, connections, null, "server failed: " + ex.getMessage());
        }
        try {
            final BenchStepRunner runner = new BenchStepRunner(rate -> settings.bench(child.address(), connections,
                rate), new StepJudge(objectives), this::stepListeners, progress, false);
            final List<SweepStep> steps;
            final SearchResult search;
            if (objectives.isEmpty()) {
                search = null;
                steps = Sweep.run(runner, rates, this::onStep);
            } else {
                search = new SloSearch(runner, resolution, this::onStep).run(rates);
                steps = search.steps();
            }
            final BenchSettings first = settings.bench(child.address(), connections, rates.get(0));
            final SweepOutcome outcome = new SweepOutcome(argv, model.label() + ": " + first.describe(),
                first.parameters(), objectives.describe(), objectives.latencyLimitsUs(), rates, steps, search);
            final String note = child.process().isAlive() ? "ok" : "the server exited with status "
                + child.process().exitValue() + ": " + child.lastLine();
            return new SweepCell(model, connections, outcome, note);
        } finally {
            final String stopped = child.stop();
            if (!"stopped".equals(stopped)) {
                progress.println("ringside compare --sweep:   the server (pid " + child.pid() + ") " + stopped);
            }
        }
    }

    private List<IntervalListener> stepListeners() {
        return settings.pinned() ? List.of(CpuPinning.onFirstInterval(settings.generatorCpus(), progress))
            : List.of();
    }

    private void onStep(final SweepStep step) {
        progress.printf(Locale.ROOT, "ringside compare --sweep:   %s msg/s: achieved %s, p99 %s, %s%n",
            RateSeries.format(step.targetRate()), RateSeries.format(step.achievedRate()),
            dev.ringside.bench.report.Quantities.micros(step.latency("p99")), step.verdict());
        progress.flush();
    }

    private Map<String, String> parameters() {
        final Map<String, String> map = new LinkedHashMap<>(settings.parameters());
        final List<String> text = new ArrayList<>();
        for (final double rate : rates) {
            text.add(RateSeries.format(rate));
        }
        map.put("load", "open loop, each step at its own rate: " + String.join(", ", text) + " msg/s");
        map.put("objectives", objectives.describe() + (objectives.isEmpty() ? "" : String.format(Locale.ROOT,
            " (search resolution %.0f%%)", 100 * resolution)));
        return map;
    }
}
