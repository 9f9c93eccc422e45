package dev.ringside.bench.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A plain sweep: each rate in turn, lowest first, until one misses by a wide margin (overloaded: going
 * higher would only pile up a backlog) or the rates run out.
 */
public final class Sweep {
    private Sweep() {
    }

    /**
     * @param runner runs and judges a step
     * @param rates  ascending rates
     * @param onStep hears each step as it ends
     * @return the steps run, in order
     * @throws InterruptedException when interrupted
     */
    public static List<SweepStep> run(final StepRunner runner, final List<Double> rates,
        final Consumer<SweepStep> onStep) throws InterruptedException {
        final List<SweepStep> steps = new ArrayList<>();
        for (final double rate : rates) {
            final SweepStep step = runner.run(rate);
            steps.add(step);
            onStep.accept(step);
            if (step.overloaded()) {
                break;
            }
        }
        return steps;
    }
}
