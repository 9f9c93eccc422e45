package dev.ringside.bench.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Finds the highest rate that meets every objective. First it brackets: a {@link Sweep} over the given
 * rates (stopping after an overloaded step). The answer lies between the highest rate that met every
 * objective and the lowest rate above it that missed; the search then bisects that bracket at the geometric
 * mean (the rates are ratios apart, so is the resolution) until the two differ by at most the resolution.
 *
 * <p>Responses are not assumed monotone. The answer is the highest rate <em>seen</em> to meet every
 * objective, not the first miss's neighbour, so a one-off miss below it (a GC pause, another process taking
 * the CPU) does not drag it down; such misses are reported as anomalies. A miss during bisection makes the
 * answer conservative, never optimistic: every rate reported as met was measured and met.
 */
public final class SloSearch {
    /** Default resolution: the bracket is narrowed until its ends differ by at most 2%. */
    public static final double DEFAULT_RESOLUTION = 0.02;
    /** Bisection steps at most, whatever the resolution: bounds the run time. */
    public static final int MAX_BISECTIONS = 12;

    private final StepRunner runner;
    private final double resolution;
    private final Consumer<SweepStep> onStep;

    /**
     * @param runner     runs and judges a step
     * @param resolution the bracket's ends may differ by at most this fraction (0.02 = 2%)
     * @param onStep     hears each step as it ends
     */
    public SloSearch(final StepRunner runner, final double resolution, final Consumer<SweepStep> onStep) {
        if (!(resolution > 0 && resolution < 1)) {
            throw new IllegalArgumentException("--resolution must be between 0 and 100%, got " + resolution);
        }
        this.runner = runner;
        this.resolution = resolution;
        this.onStep = onStep;
    }

    /**
     * @param rates ascending rates to bracket with
     * @return the answer and every step run
     * @throws InterruptedException when interrupted
     */
    public SearchResult run(final List<Double> rates) throws InterruptedException {
        final List<SweepStep> steps = new ArrayList<>();
        final boolean whole = Sweep.run(runner, rates, onStep, steps);
        SweepStep met = highestMet(steps);
        SweepStep missed = lowestMissedAbove(steps, met);
        if (!whole || met == null || missed == null) {
            return new SearchResult(met, missed, resolution, met == null || missed == null || narrow(met, missed),
                !whole, steps);
        }
        for (int i = 0; i < MAX_BISECTIONS && !narrow(met, missed); i++) {
            final double mid = Math.rint(Math.sqrt(met.targetRate() * missed.targetRate()));
            if (mid <= met.targetRate() || mid >= missed.targetRate()) {
                break; // rates a message per second apart: nothing left between them
            }
            final SweepStep step = runner.run(mid);
            if (step == null) {
                // Interrupted: the answer so far stands, every rate in it measured; the bracket is just wider.
                return new SearchResult(met, missed, resolution, narrow(met, missed), true, steps);
            }
            steps.add(step);
            onStep.accept(step);
            if (step.met()) {
                met = step;
            } else {
                missed = step;
            }
        }
        return new SearchResult(met, missed, resolution, narrow(met, missed), false, steps);
    }

    private boolean narrow(final SweepStep met, final SweepStep missed) {
        // A small tolerance so that rounding a rate to whole messages per second does not cost a step.
        return missed.targetRate() <= met.targetRate() * (1 + resolution) + 1;
    }

    private static SweepStep highestMet(final List<SweepStep> steps) {
        SweepStep best = null;
        for (final SweepStep step : steps) {
            if (step.met() && (best == null || step.targetRate() > best.targetRate())) {
                best = step;
            }
        }
        return best;
    }

    private static SweepStep lowestMissedAbove(final List<SweepStep> steps, final SweepStep met) {
        SweepStep lowest = null;
        for (final SweepStep step : steps) {
            if (!step.met() && (met == null || step.targetRate() > met.targetRate())
                && (lowest == null || step.targetRate() < lowest.targetRate())) {
                lowest = step;
            }
        }
        return lowest;
    }
}
