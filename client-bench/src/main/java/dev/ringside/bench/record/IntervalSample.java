package dev.ringside.bench.record;

import org.HdrHistogram.Histogram;

/**
 * One reporting interval (about a second) as the reporting thread saw it. The object and its histograms
 * are reused for the next interval: a listener copies what it keeps.
 */
public final class IntervalSample {
    /** What the run was doing during the interval. */
    public enum Phase {
        /** Establishing connections (the ramp). */
        CONNECTING,
        /** Sending warm-up load; its latency is discarded. */
        WARMUP,
        /** Inside the measurement window. */
        MEASURING,
        /** Measurement over; waiting for replies to requests sent in the window. */
        DRAINING
    }

    private final Histogram corrected = LatencyRecorder.newHistogram();
    private final Histogram uncorrected = LatencyRecorder.newHistogram();
    private Phase phase = Phase.CONNECTING;
    private double elapsedS;
    private double intervalS;
    private long startEpochMs;
    private long endEpochMs;
    private long completed;
    private long connectionsOpen;
    private long connectionsRequested;
    private long connectsResolved;
    private long errorsTotal;
    private long reconnects;
    private long opened;

    /** @return the phase */
    public Phase phase() {
        return phase;
    }

    /** @return seconds since the run started (connection ramp included) at the end of the interval */
    public double elapsedS() {
        return elapsedS;
    }

    /** @return the interval's length in seconds */
    public double intervalS() {
        return intervalS;
    }

    /** @return interval start, ms since the epoch */
    public long startEpochMs() {
        return startEpochMs;
    }

    /** @return interval end, ms since the epoch */
    public long endEpochMs() {
        return endEpochMs;
    }

    /** @return replies (deliveries, for chat) received in the interval for the current phase */
    public long completed() {
        return completed;
    }

    /** @return replies per second in the interval */
    public double ratePerSecond() {
        return intervalS > 0 ? completed / intervalS : 0;
    }

    /** @return connections open at the end of the interval */
    public long connectionsOpen() {
        return connectionsOpen;
    }

    /** @return connections asked for */
    public long connectionsRequested() {
        return connectionsRequested;
    }

    /** @return connection attempts finished (established or failed) */
    public long connectsResolved() {
        return connectsResolved;
    }

    /** @return errors of every kind since the run started */
    public long errorsTotal() {
        return errorsTotal;
    }

    /** @return connections reopened since the run started (after the server closed them or an attempt failed) */
    public long reconnects() {
        return reconnects;
    }

    /** @return connections established during the interval (reconnects and {@code --requests-per-connection}) */
    public long opened() {
        return opened;
    }

    /** @return connections established per second in the interval */
    public double openedPerSecond() {
        return intervalS > 0 ? opened / intervalS : 0;
    }

    /**
     * Sets the interval's connection churn (reporting thread, after {@link #set}).
     *
     * @param reconnectsSoFar connections reopened since the run started
     * @param openedInInterval connections established during the interval
     * @return this
     */
    public IntervalSample churn(final long reconnectsSoFar, final long openedInInterval) {
        this.reconnects = reconnectsSoFar;
        this.opened = openedInInterval;
        return this;
    }

    /** @return the interval's corrected latency histogram (ns) */
    public Histogram corrected() {
        return corrected;
    }

    /** @return the interval's uncorrected latency histogram (ns) */
    public Histogram uncorrected() {
        return uncorrected;
    }

    /**
     * Sets the interval's figures (reporting thread); the histograms are filled separately.
     *
     * @param phase                what the run was doing
     * @param elapsedS             seconds since the run started
     * @param intervalS            interval length in seconds
     * @param startEpochMs         interval start
     * @param endEpochMs           interval end
     * @param completed            replies in the interval
     * @param connectionsOpen      connections open now
     * @param connectionsRequested connections asked for
     * @param connectsResolved     attempts finished
     * @param errorsTotal          errors so far
     * @return this
     */
    public IntervalSample set(final Phase phase, final double elapsedS, final double intervalS,
        final long startEpochMs, final long endEpochMs, final long completed, final long connectionsOpen,
        final long connectionsRequested, final long connectsResolved, final long errorsTotal) {
        this.phase = phase;
        this.elapsedS = elapsedS;
        this.intervalS = intervalS;
        this.startEpochMs = startEpochMs;
        this.endEpochMs = endEpochMs;
        this.completed = completed;
        this.connectionsOpen = connectionsOpen;
        this.connectionsRequested = connectionsRequested;
        this.connectsResolved = connectsResolved;
        this.errorsTotal = errorsTotal;
        return this;
    }
}
