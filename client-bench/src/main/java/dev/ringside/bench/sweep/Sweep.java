package dev.ringside.bench.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A plain sweep: each rate in turn, lowest first, until one misses by a wide margin (overloaded: going
 * higher would only pile up a backlog), the rates run out, or a step is interrupted.
 */
public final class Sweep {
    private Sweep() {
    }

    /**
     * @param runner runs and judges a step
     * @param rates  ascending rates
     * @param onStep hears each step as it ends
     * @return the steps that finished, in order
     * @throws InterruptedException when interrupted
     */
    public static List<SweepStep> run(final StepRunner runner, final List<Double> rates,
        final Consumer<SweepStep> onStep) throws InterruptedException {
        final List<SweepStep> steps = new ArrayList<>();
        run(runner, rates, onStep, steps);
        return steps;
    }

    /**
     * @param runner runs and judges a step
     * @param rates  ascending rates
     * @param onStep hears each step as it ends
     * @param steps  receives the steps that finished, in order
     * @return whether the sweep ended on its own (false: a step was interrupted)
     * @throws InterruptedException when interrupted
     */
    static boolean run(final StepRunner runner, final List<Double> rates, final Consumer<SweepStep> onStep,
        final List<SweepStep> steps) throws InterruptedException {
        for (final double rate : rates) {
            final SweepStep step = runner.run(rate);
            if (step == null) {
                return false;
            }
            steps.add(step);
            onStep.accept(step);
            if (step.overloaded()) {
                break;
            }
        }
        return true;
    }
}
