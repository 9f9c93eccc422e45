package dev.ringside.bench.record;

import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * A loop thread's latency recording: two HdrHistogram {@link SingleWriterRecorder}s in nanoseconds with
 * three significant digits, one for the coordinated-omission-corrected latency (receive − intended send)
 * and one for the uncorrected latency (receive − actual send). The loop thread records; the reporting
 * thread takes interval histograms once a second. Recording allocates nothing.
 */
public final class LatencyRecorder {
    /** Values are clamped to this (one hour), so a pathological stall cannot throw on the loop thread. */
    public static final long HIGHEST_TRACKABLE_NS = TimeUnit.HOURS.toNanos(1);
    /** Significant decimal digits kept. */
    public static final int SIGNIFICANT_DIGITS = 3;

    private final SingleWriterRecorder corrected = new SingleWriterRecorder(1, HIGHEST_TRACKABLE_NS,
        SIGNIFICANT_DIGITS);
    private final SingleWriterRecorder uncorrected = new SingleWriterRecorder(1, HIGHEST_TRACKABLE_NS,
        SIGNIFICANT_DIGITS);

    /** @return an empty histogram with the recorders' range and precision */
    public static Histogram newHistogram() {
        return new Histogram(1, HIGHEST_TRACKABLE_NS, SIGNIFICANT_DIGITS);
    }

    /**
     * Records one reply (loop thread only).
     *
     * @param correctedNs   receive − intended send
     * @param uncorrectedNs receive − actual send
     */
    public void record(final long correctedNs, final long uncorrectedNs) {
        corrected.recordValue(clamp(correctedNs));
        uncorrected.recordValue(clamp(uncorrectedNs));
    }

    private static long clamp(final long valueNs) {
        return valueNs < 0 ? 0 : Math.min(valueNs, HIGHEST_TRACKABLE_NS);
    }

    /**
     * Moves what was recorded since the last call into the targets (reporting thread).
     *
     * @param correctedTarget   receives the corrected interval (its content is replaced)
     * @param uncorrectedTarget receives the uncorrected interval (its content is replaced)
     */
    public void takeInterval(final Histogram correctedTarget, final Histogram uncorrectedTarget) {
        corrected.getIntervalHistogramInto(correctedTarget);
        uncorrected.getIntervalHistogramInto(uncorrectedTarget);
    }
}
