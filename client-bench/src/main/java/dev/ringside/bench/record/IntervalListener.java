package dev.ringside.bench.record;

/**
 * Hears each reporting interval of a run, on the reporting thread (progress line, interval log, report).
 */
@FunctionalInterface
public interface IntervalListener {
    /**
     * One interval ended.
     *
     * @param sample its figures; reused after the call returns
     */
    void onInterval(IntervalSample sample);
}
