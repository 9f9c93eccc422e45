package dev.ringside.bench.record;

import java.util.List;

/**
 * How the generator itself fared: whether its figures can be trusted and whether it, rather than the
 * server, was the bottleneck.
 *
 * @param dutyCycles     per generator thread, the share of the measurement window its loop spent working
 *                       (busy cycles / wall time, 0..1); empty when unknown (merged logs)
 * @param internalErrors unexpected exceptions inside the generator
 * @param failure        why the generator failed (a thread died), or {@code null}
 * @param interruptedBy  the signal that cut the run short ({@code SIGINT}, {@code SIGTERM}), or {@code null}
 */
public record GeneratorHealth(List<Double> dutyCycles, long internalErrors, String failure, String interruptedBy) {
    /** Duty cycle at or above which the generator, not the server, limits the rate. */
    public static final double SATURATED = 0.9;

    /** @return health of a run that went to the end with nothing to report and no duty cycle known */
    public static GeneratorHealth unknown() {
        return new GeneratorHealth(List.of(), 0, null, null);
    }

    /** @return the busiest thread's duty cycle, or NaN when unknown */
    public double maxDutyCycle() {
        double max = Double.NaN;
        for (final double duty : dutyCycles) {
            max = Double.isNaN(max) ? duty : Math.max(max, duty);
        }
        return max;
    }

    /** @return whether a generator thread was busy nearly all the time */
    public boolean saturated() {
        return maxDutyCycle() >= SATURATED;
    }

    /** @return whether the generator failed (a thread died or threw) */
    public boolean failed() {
        return failure != null || internalErrors > 0;
    }
}
