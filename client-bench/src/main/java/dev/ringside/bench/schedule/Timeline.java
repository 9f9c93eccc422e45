package dev.ringside.bench.schedule;

/**
 * The phases of a run on the generator's nanosecond clock: load starts, the warm-up runs until
 * {@link #measureStartNs()}, and the measurement window ends at {@link #measureEndNs()}. A message belongs to
 * the phase its <em>intended</em> send time falls in, whenever its reply arrives: so a warm-up reply that
 * arrives late never leaks into the measurement, and a measured request answered after the window (while
 * the run drains) still counts.
 */
public final class Timeline {
    /** The phase a message belongs to. */
    public enum Phase {
        /** Before the measurement window: sent and checked, but its latency is discarded. */
        WARMUP,
        /** Inside the measurement window. */
        MEASURED,
        /** At or after the end: never scheduled. */
        AFTER
    }

    private final long loadStartNs;
    private final long measureStartNs;
    private final long measureEndNs;

    /**
     * Creates a timeline.
     *
     * @param loadStartNs when the first message is intended
     * @param warmupNs    how long the warm-up lasts; 0 for none
     * @param durationNs  how long the measurement lasts; positive
     */
    public Timeline(final long loadStartNs, final long warmupNs, final long durationNs) {
        if (warmupNs < 0 || durationNs <= 0) {
            throw new IllegalArgumentException("warm-up must be >= 0 and duration > 0");
        }
        this.loadStartNs = loadStartNs;
        this.measureStartNs = loadStartNs + warmupNs;
        this.measureEndNs = measureStartNs + durationNs;
    }

    /** @return when the first message is intended */
    public long loadStartNs() {
        return loadStartNs;
    }

    /** @return start of the measurement window (inclusive) */
    public long measureStartNs() {
        return measureStartNs;
    }

    /** @return end of the measurement window (exclusive); nothing is sent at or after it */
    public long measureEndNs() {
        return measureEndNs;
    }

    /** @return length of the measurement window */
    public long durationNs() {
        return measureEndNs - measureStartNs;
    }

    /**
     * @param intendedNs a message's intended send time
     * @return the phase it belongs to
     */
    public Phase phaseOf(final long intendedNs) {
        if (intendedNs - measureStartNs < 0) {
            return Phase.WARMUP;
        }
        return intendedNs - measureEndNs < 0 ? Phase.MEASURED : Phase.AFTER;
    }

    /**
     * @param intendedNs a message's intended send time
     * @return whether it falls in the measurement window
     */
    public boolean isMeasured(final long intendedNs) {
        return intendedNs - measureStartNs >= 0 && intendedNs - measureEndNs < 0;
    }
}
