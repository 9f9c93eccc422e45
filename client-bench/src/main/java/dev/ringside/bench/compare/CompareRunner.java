package dev.ringside.bench.compare;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.ringside.bench.driver.BenchRunner;
import dev.ringside.bench.driver.BenchSettings;
import dev.ringside.bench.record.BenchResult;
import dev.ringside.bench.record.IntervalListener;
import dev.ringside.bench.report.ReportingWarmup;
import dev.ringside.bench.report.TextSummary;
import dev.ringside.engine.model.ServerModel;

/**
 * Runs the matrix: for each model and each connection count, a fresh server child process (so its peak
 * memory belongs to that cell alone), the same open-loop load from this process, the server's cost read from
 * {@code /proc}, and the child stopped by its pid. A cell that fails in any way becomes a cell saying so,
 * and the next one runs. Every step is bounded: the child's start ({@link ServerChild#START_TIMEOUT_MS}),
 * the load (connect cap, warm-up, window, drain of at most two reply timeouts) and the stop.
 */
public final class CompareRunner {
    private final CompareSettings settings;
    private final Path logs;
    private final PrintStream progress;
    private volatile String interruptedBy;
    private volatile BenchRunner current;

    /**
     * @param settings validated settings
     * @param logs     an existing directory for the servers' output
     * @param progress where a line per cell goes as it starts and ends
     */
    public CompareRunner(final CompareSettings settings, final Path logs, final PrintStream progress) {
        this.settings = settings;
        this.logs = logs;
        this.progress = progress;
    }

    /**
     * Stops the comparison early (any thread; a signal handler): the cell under load is cut short and left
     * out, and no further cell starts. The cells that finished are kept. A second call is passed on to the
     * cell's run (skip its drain).
     *
     * @param signal what interrupted it, e.g. {@code SIGINT}
     */
    public void interrupt(final String signal) {
        if (interruptedBy == null) {
            interruptedBy = signal;
        }
        final BenchRunner runner = current;
        if (runner != null) {
            runner.interrupt(signal);
        }
    }

    /**
     * Runs every cell, or those before an {@link #interrupt}.
     *
     * @param argv the command line, for the record
     * @return the comparison
     * @throws InterruptedException when interrupted (the current child is stopped first)
     */
    public Comparison run(final List<String> argv) throws InterruptedException {
        final long startEpochMs = System.currentTimeMillis();
        ReportingWarmup.run();
        final int serverJdk = settings.models().contains(ServerModel.VIRTUAL) ? JavaVersion.of(settings.java()) : -1;
        final List<CompareCell> cells = new ArrayList<>();
        final int total = settings.models().size() * settings.connections().size();
        progress.println("ringside compare: " + total + " cells; " + settings.pinningDescription());
        progress.println("ringside compare: server output in " + logs);
        for (final ServerModel model : settings.models()) {
            for (final int connections : settings.connections()) {
                if (interruptedBy != null) {
                    break;
                }
                progress.printf(Locale.ROOT, "ringside compare: [%d/%d] %s, %d connections ...%n", cells.size() + 1,
                    total, model.label(), connections);
                progress.flush();
                final CompareCell cell;
                if (model == ServerModel.VIRTUAL && serverJdk > 0 && serverJdk < JavaVersion.VIRTUAL_THREADS) {
                    cell = CompareCell.notRun(model, connections, CompareCell.Outcome.NEEDS_JDK_21,
                        "needs JDK 21+; the server JVM is JDK " + serverJdk
                            + " (pass --java /path/to/jdk-21+/bin/java)");
                } else {
                    cell = runCell(model, connections);
                }
                if (interruptedBy != null) {
                    progress.println("ringside compare:   " + model.label() + " x " + connections + " interrupted by "
                        + interruptedBy + ": left out; the " + cells.size() + " finished cells are kept");
                    break;
                }
                cells.add(cell);
                progress.println("ringside compare:   " + CompareTable.oneLine(cell));
                progress.flush();
            }
        }
        return new Comparison(List.copyOf(argv), startEpochMs, settings.parameters(), settings.jsonParameters(),
            machine(), List.copyOf(cells), logs.toString(), interruptedBy);
    }

    private CompareCell runCell(final ServerModel model, final int connections) throws InterruptedException {
        final List<String> command = settings.serverCommand(model);
        final Path log = logs.resolve(model.label() + "-" + connections + ".log");
        final ServerChild child;
        try {
            child = ServerChild.start(command, log);
        } catch (final IOException ex) {
            return CompareCell.notRun(model, connections, CompareCell.Outcome.SERVER_FAILED, ex.getMessage());
        }
        final ServerCostMeter meter = new ServerCostMeter(new ProcessTree(child.pid()), settings.warmupNs() / 1e9,
            settings.durationNs() / 1e9);
        final List<String> notes = new ArrayList<>();
        try {
            final BenchSettings bench = settings.bench(child.address(), connections);
            final BenchRunner runner = new BenchRunner(bench, listeners(meter), progress);
            current = runner;
            if (interruptedBy != null) {
                runner.interrupt(interruptedBy); // the signal came while the server was starting
            }
            final BenchResult result;
            try {
                result = runner.run();
            } finally {
                current = null;
            }
            meter.finish();
            if (!child.process().isAlive()) {
                notes.add("the server exited with status " + child.process().exitValue() + " during the run: "
                    + child.lastLine());
            } else if (meter.processesLeft()) {
                notes.add("a server process exited during the window (its CPU time is not counted)");
            }
            return measured(model, connections, result, meter, child.pid(), notes);
        } catch (final IllegalStateException ex) {
            meter.finish();
            // "no connection ... could be established": the model turned everyone away.
            final boolean noConnection = String.valueOf(ex.getMessage()).contains("could be established");
            return cell(model, connections, noConnection ? CompareCell.Outcome.NO_CONNECTION
                : CompareCell.Outcome.ERROR, String.valueOf(ex.getMessage()), null, meter, child.pid());
        } catch (final RuntimeException ex) {
            meter.finish();
            return cell(model, connections, CompareCell.Outcome.ERROR, ex.toString(), null, meter, child.pid());
        } finally {
            final String stopped = child.stop();
            if (!"stopped".equals(stopped)) {
                progress.println("ringside compare:   the server (pid " + child.pid() + ") " + stopped);
            }
        }
    }

    private List<IntervalListener> listeners(final ServerCostMeter meter) {
        final List<IntervalListener> listeners = new ArrayList<>();
        listeners.add(meter);
        if (settings.pinned()) {
            listeners.add(CpuPinning.onFirstInterval(settings.generatorCpus(), progress));
        }
        return listeners;
    }

    private static CompareCell measured(final ServerModel model, final int connections, final BenchResult result,
        final ServerCostMeter meter, final long pid, final List<String> notes) {
        final List<String> problems = new ArrayList<>();
        if (result.connectionsEstablished() < result.connectionsRequested()) {
            problems.add(result.connectionsEstablished() + " of " + result.connectionsRequested() + " connected");
        }
        if (result.targetRate() > 0 && result.achievedRate() < 0.99 * result.targetRate()) {
            problems.add(String.format(Locale.ROOT, "rate %.1f%% of target", 100 * result.achievedRate()
                / result.targetRate()));
        }
        if (result.errorTotal() > 0) {
            problems.add("errors " + TextSummary.errorLine(result));
        }
        problems.addAll(notes);
        final boolean ok = problems.isEmpty();
        return cell(model, connections, ok ? CompareCell.Outcome.OK : CompareCell.Outcome.DEGRADED,
            ok ? "ok" : String.join("; ", problems), result, meter, pid);
    }

    private static CompareCell cell(final ServerModel model, final int connections, final CompareCell.Outcome outcome,
        final String note, final BenchResult result, final ServerCostMeter meter, final long pid) {
        final ProcessTree tree = meter.tree();
        return new CompareCell(model, connections, outcome, note, result, meter.cpuUsPerMessage(),
            meter.cpuPercent(), meter.contextSwitchesPerMessage(), tree.peakRssBytes(), tree.maxThreads(),
            tree.maxProcesses(), pid);
    }

    private static Map<String, Object> machine() {
        final Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cpus", Runtime.getRuntime().availableProcessors());
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
            + System.getProperty("os.arch"));
        machine.put("compareJvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        return machine;
    }
}
