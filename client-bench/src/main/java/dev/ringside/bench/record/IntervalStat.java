package dev.ringside.bench.record;

/**
 * What a report keeps of one measured interval: when, how many replies, and corrected latency percentiles.
 *
 * @param offsetS          seconds from the start of the measurement window to the end of the interval
 * @param lengthS          interval length in seconds
 * @param count            replies received in the interval, late replies to warm-up requests included (an
 *                         overloaded run serves its warm-up backlog first: that is work the server did)
 * @param p50Ns            corrected median, ns
 * @param p99Ns            corrected 99th percentile, ns
 * @param maxNs            corrected maximum, ns
 * @param uncorrectedP99Ns uncorrected 99th percentile, ns
 */
public record IntervalStat(double offsetS, double lengthS, long count, long p50Ns, long p99Ns, long maxNs,
    long uncorrectedP99Ns) {

    /** @return replies per second in the interval */
    public double ratePerSecond() {
        return lengthS > 0 ? count / lengthS : 0;
    }
}
