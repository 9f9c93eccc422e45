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
 */
public final class BenchStepRunner implements StepRunner {
    private final DoubleFunction<BenchSettings> settingsAt;
    private final StepJudge judge;
    private final Supplier<List<IntervalListener>> listeners;
    private final PrintStream err;
    private final boolean progress;

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

    @Override
    public SweepStep run(final double rate) throws InterruptedException {
        final BenchSettings settings = settingsAt.apply(rate);
        final List<IntervalListener> all = new ArrayList<>(listeners.get());
        final ProgressLine line = progress ? new ProgressLine(err, ProgressLine.isTerminal()) : null;
        if (line != null) {
            all.add(0, line);
        }
        final BenchResult result;
        try {
            result = new BenchRunner(settings, all, err).run();
        } catch (final IllegalStateException ex) {
            return StepJudge.failed(rate, String.valueOf(ex.getMessage()));
        } finally {
            if (line != null) {
                line.close();
            }
        }
        return judge.judge(rate, result);
    }
}
