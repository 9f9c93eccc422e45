package dev.ringside.bench.record;

import org.HdrHistogram.Histogram;

/**
 * How often connections were reopened, and how long opening one took. Plain counts and a histogram, so the
 * results of several generators add up ({@link #plus}).
 *
 * @param reconnects     attempts to reopen a connection the generator did not close itself (the server closed
 *                       or reset it, or an attempt failed and was retried), over the whole run; -1 when unknown
 * @param opened         connections established inside the measurement window (first or reopened); -1 when
 *                       unknown
 * @param connectLatency time from the {@code connect()} call to established (ns), for the connections
 *                       {@code opened} counts
 */
public record ConnectionChurn(long reconnects, long opened, Histogram connectLatency) {

    /** @return no reconnects, nothing opened in the window, an empty histogram */
    public static ConnectionChurn none() {
        return new ConnectionChurn(0, 0, LatencyRecorder.newHistogram());
    }

    /** @return unknown figures (a merged log that does not hold them) */
    public static ConnectionChurn unknown() {
        return new ConnectionChurn(-1, -1, LatencyRecorder.newHistogram());
    }

    /**
     * @param durationS the measurement window in seconds
     * @return connections opened per second in it; 0 for an empty window or unknown counts
     */
    public double openedPerSecond(final double durationS) {
        return durationS > 0 && opened > 0 ? opened / durationS : 0;
    }

    /**
     * @param other another generator's figures for the same window
     * @return both together (an unknown count stays unknown)
     */
    public ConnectionChurn plus(final ConnectionChurn other) {
        final Histogram sum = connectLatency.copy();
        sum.add(other.connectLatency);
        return new ConnectionChurn(reconnects < 0 || other.reconnects < 0 ? -1 : reconnects + other.reconnects,
            opened < 0 || other.opened < 0 ? -1 : opened + other.opened, sum);
    }
}
