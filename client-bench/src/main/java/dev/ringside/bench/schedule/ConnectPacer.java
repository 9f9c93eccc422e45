package dev.ringside.bench.schedule;

/**
 * Paces connection attempts at a bounded rate (the ramp), so that thousands of connections do not arrive
 * as one SYN burst that overflows the listener's backlog. Attempt {@code i} is due at
 * {@code startNs + i * intervalNs}; a generator that is late makes the attempts that are due, up to a
 * budget per call, and catches up on the next.
 */
public final class ConnectPacer {
    private final int total;
    private final double intervalNs;
    private long startNs;
    private int next;
    private boolean started;

    /**
     * Creates a pacer.
     *
     * @param total         attempts to make
     * @param ratePerSecond attempts per second; {@link Double#POSITIVE_INFINITY} for no pacing
     */
    public ConnectPacer(final int total, final double ratePerSecond) {
        if (total < 0 || !(ratePerSecond > 0)) {
            throw new IllegalArgumentException("connect pacing needs total >= 0 and a positive rate");
        }
        this.total = total;
        this.intervalNs = Double.isInfinite(ratePerSecond) ? 0 : 1e9 / ratePerSecond;
    }

    /**
     * Starts the ramp.
     *
     * @param nowNs time of the first attempt
     */
    public void start(final long nowNs) {
        this.startNs = nowNs;
        this.started = true;
    }

    /** @return whether {@link #start} was called */
    public boolean isStarted() {
        return started;
    }

    /**
     * @param nowNs    the time now
     * @param budget   most attempts allowed in this call
     * @return how many attempts are due now (at most {@code budget}); call {@link #taken} for each made
     */
    public int due(final long nowNs, final int budget) {
        if (!started || next >= total) {
            return 0;
        }
        final long elapsedNs = nowNs - startNs;
        final long dueCount = intervalNs == 0 ? total : Math.min(total, (long) (elapsedNs / intervalNs) + 1);
        return (int) Math.max(0, Math.min(budget, dueCount - next));
    }

    /**
     * Records that one attempt was made.
     *
     * @return the index of that attempt
     */
    public int taken() {
        return next++;
    }

    /** @return whether every attempt was made */
    public boolean isDone() {
        return next >= total;
    }

    /** @return when the next attempt is due, or {@link Long#MAX_VALUE} when all were made */
    public long nextDueNs() {
        if (!started || next >= total) {
            return Long.MAX_VALUE;
        }
        return startNs + (long) (next * intervalNs);
    }
}
