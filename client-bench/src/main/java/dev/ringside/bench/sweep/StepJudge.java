package dev.ringside.bench.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.ringside.bench.record.BenchResult;
import dev.ringside.bench.record.IntervalStat;
import dev.ringside.bench.report.Percentiles;

/**
 * Turns a step's run into a {@link SweepStep}: its figures, the objectives it missed, and whether it missed
 * by a wide margin. Wide means the sweep learns nothing more by going higher: the achieved rate fell below
 * {@link #RATE_FLOOR} of the target (the server, or the generator, could not keep up), or an objective
 * says its miss was wide (see the objectives for their margins).
 */
public final class StepJudge {
    /** Achieved/target below which a step is overloaded: 90%. */
    public static final double RATE_FLOOR = 0.9;

    private final Objectives objectives;

    /**
     * @param objectives what every step is held to
     */
    public StepJudge(final Objectives objectives) {
        this.objectives = objectives;
    }

    /** @return what every step is held to */
    public Objectives objectives() {
        return objectives;
    }

    /**
     * @param targetRate         the rate asked for
     * @param result             the step's run
     * @return the step, judged
     */
    public SweepStep judge(final double targetRate, final BenchResult result) {
        final List<String> misses = new ArrayList<>();
        final List<String> wide = new ArrayList<>();
        final double achieved = windowRate(result);
        final double share = achieved / targetRate;
        if (share < RATE_FLOOR) {
            final String text = String.format(Locale.ROOT, "achieved %s of %s msg/s (%.0f%%)",
                RateSeries.format(achieved), RateSeries.format(targetRate), 100 * share);
            misses.add(text);
            wide.add(text);
        }
        for (final Objectives.Miss miss : objectives.misses(result)) {
            misses.add(miss.text());
            if (miss.wide()) {
                wide.add(miss.text());
            }
        }
        final Map<String, Double> latency = result.corrected().getTotalCount() == 0 ? Map.of()
            : Percentiles.micros(result.corrected());
        return new SweepStep(targetRate, achieved, latency, result.errorTotal(), result.generator().maxDutyCycle(),
            List.copyOf(misses), wide.isEmpty() ? null : String.join("; ", wide), result, objectives.verdict(result),
            null);
    }

    /**
     * The rate the server kept up inside the measurement window: replies received in the window per second.
     * Bench's own achieved rate also counts the replies to window requests that arrive during the drain
     * after it, which for an overloaded step (a backlog sent late) overstates what the server sustained.
     *
     * @param result a run
     * @return replies per second inside the window
     */
    static double windowRate(final BenchResult result) {
        long count = 0;
        for (final IntervalStat interval : result.intervals()) {
            // Intervals end at the window's end exactly (the runner ticks on it); later ones are the drain.
            if (interval.offsetS() <= result.durationS() + 1e-6) {
                count += interval.count();
            }
        }
        return result.durationS() > 0 ? count / result.durationS() : 0;
    }

    /**
     * A step that could not run at all (no connection, the server gone): a wide miss, so the sweep stops.
     *
     * @param targetRate the rate asked for
     * @param why        what happened
     * @return the step
     */
    public static SweepStep failed(final double targetRate, final String why) {
        return new SweepStep(targetRate, 0, Map.of(), 0, Double.NaN, List.of(why), why, null, null, null);
    }
}
