package dev.ringside.bench.sweep;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleFunction;
import java.util.function.Supplier;

import dev.ringside.bench.driver.BenchRunner;
import dev.ringside.bench.driver.BenchSettings;
import dev.ringside.bench.record.BenchResult;
import dev.ringside.bench.record.IntervalListener;
import dev.ringside.bench.report.ProgressLine;

/**
 * Runs a step as a whole {@code bench} run: fresh connections, its own warm-up and window, the drain, then
 * judged. A step that cannot connect at all (the server turned everyone away, or is gone) becomes a failed
 * step, which stops the sweep, instead of an exception that would lose the steps before it.
 *
 * <p>{@link #interrupt} (a signal handler) cuts the step under way short as it cuts a bench run (stop sending,
 * drain; a second call skips the drain) and leaves it out: {@link #run} returns {@code null} for it and for
 * every later step, so the sweep stops with the steps that finished.
 */
public final class BenchStepRunner implements StepRunner {
    private final DoubleFunction<BenchSettings> settingsAt;
    private final StepJudge judge;
    private final Supplier<List<IntervalListener>> listeners;
    private final PrintStream err;
    private final boolean progress;
    private volatile String interruptedBy;
    private volatile BenchRunner current;

    /**
     * @param settingsAt the validated bench settings for a rate
     * @param judge      judges each step
     * @param listeners  makes the extra interval listeners for a step (e.g. CPU pinning, cost meters)
     * @param err        where the progress line and the generator's own errors go
     * @param progress   whether to show the per-second progress line
     */
    public BenchStepRunner(final DoubleFunction<BenchSettings> settingsAt, final StepJudge judge,
        final Supplier<List<IntervalListener>> listeners, final PrintStream err, final boolean progress) {
        this.settingsAt = settingsAt;
        this.judge = judge;
        this.listeners = listeners;
        this.err = err;
        this.progress = progress;
    }

    /**
     * Stops the sweep (any thread; a signal handler): the step under way stops sending and drains, and is
     * left out; no later step starts. A second call skips the step's drain.
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

    /** @return the signal that stopped the sweep; {@code null} when none did */
    public String interruptedBy() {
        return interruptedBy;
    }

    @Override
    public SweepStep run(final double rate) throws InterruptedException {
        if (interruptedBy != null) {
            return null;
        }
        final BenchSettings settings = settingsAt.apply(rate);
        final List<IntervalListener> all = new ArrayList<>(listeners.get());
        final ProgressLine line = progress ? new ProgressLine(err, ProgressLine.isTerminal()) : null;
        if (line != null) {
            all.add(0, line);
        }
        final BenchRunner runner = new BenchRunner(settings, all, err);
        final BenchResult result;
        current = runner;
        try {
            // Set before this check, read by interrupt() after it sets interruptedBy: a signal between the two
            // is seen by one side or the other, never lost.
            if (interruptedBy != null) {
                runner.interrupt(interruptedBy);
            }
            result = runner.run();
        } catch (final IllegalStateException ex) {
            return interruptedBy != null ? null : StepJudge.failed(rate, String.valueOf(ex.getMessage()));
        } finally {
            current = null;
            if (line != null) {
                line.close();
            }
        }
        return interruptedBy != null ? null : judge.judge(rate, result);
    }
}
