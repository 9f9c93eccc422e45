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
import dev.ringside.bench.report.ReportingWarmup;
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
 * whole bench runs with fresh connections, pinned as compare pins, each with the server's cost over its own
 * window ({@link MeteredSteps}).
 *
 * <p>{@link #interrupt} (a signal handler) stops the step under way (it is left out) and every later step and
 * cell; the steps that finished, the interrupted cell's included, are kept.
 */
public final class CompareSweep {
    private final CompareSettings settings;
    private final List<Double> rates;
    private final Objectives objectives;
    private final double resolution;
    private final Path logs;
    private final PrintStream progress;
    private volatile String interruptedBy;
    private volatile MeteredSteps current;

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
     * Stops the comparison early (any thread; a signal handler): the step under way stops sending, drains
     * and is left out; no further step or cell starts. A second call skips the step's drain.
     *
     * @param signal what interrupted it, e.g. {@code SIGINT}
     */
    public void interrupt(final String signal) {
        if (interruptedBy == null) {
            interruptedBy = signal;
        }
        final MeteredSteps steps = current;
        if (steps != null) {
            steps.interrupt(signal);
        }
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
                if (interruptedBy != null) {
                    break;
                }
                progress.printf(Locale.ROOT, "ringside compare --sweep: [%d/%d] %s, %d connections%n",
                    cells.size() + 1, total, model.label(), connections);
                final SweepCell cell = runCell(argv, model, connections);
                if (cell.outcome() != null && !cell.outcome().steps().isEmpty() || interruptedBy == null) {
                    cells.add(cell);
                }
            }
        }
        if (interruptedBy != null) {
            progress.println("ringside compare --sweep: interrupted by " + interruptedBy + ": the step under way is "
                + "left out; the finished steps of " + cells.size() + " cells are kept");
        }
        return new SweepComparison(argv, parameters(), objectives.describe(), List.copyOf(cells), logs.toString(),
            interruptedBy);
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
            final MeteredSteps runner = new MeteredSteps(settings, child, connections, new StepJudge(objectives),
                progress);
            current = runner;
            if (interruptedBy != null) {
                runner.interrupt(interruptedBy); // the signal came while the server was starting
            }
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
                first.parameters(), objectives.describe(), objectives.latencyLimitsUs(), rates, steps, search,
                runner.interruptedBy());
            final String note = runner.interruptedBy() != null ? "interrupted by " + runner.interruptedBy()
                + " after " + steps.size() + " steps" : child.process().isAlive() ? "ok"
                : "the server exited with status " + child.process().exitValue() + ": " + child.lastLine();
            return new SweepCell(model, connections, outcome, note);
        } finally {
            current = null;
            final String stopped = child.stop();
            if (!"stopped".equals(stopped)) {
                progress.println("ringside compare --sweep:   the server (pid " + child.pid() + ") " + stopped);
            }
        }
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
