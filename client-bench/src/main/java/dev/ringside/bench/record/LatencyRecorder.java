package dev.ringside.bench.record;

import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.WriterReaderPhaser;

/**
 * A loop thread's latency recording: two HdrHistograms in nanoseconds with three significant digits, one for the
 * coordinated-omission-corrected latency (receive − intended send) and one for the uncorrected latency
 * (receive − actual send). The loop thread records; the reporting thread takes interval histograms once a
 * second. Recording allocates nothing.
 *
 * <p>This is HdrHistogram's {@code SingleWriterRecorder} for a pair: both histograms of a reply are recorded in
 * one {@link WriterReaderPhaser} critical section and swapped together, so a reply costs one critical section
 * (two atomic increments) instead of one per histogram, and both intervals always hold the same replies.
 *
 * <p>Batches: between {@link #openBatch()} and {@link #closeBatch()} (the replies of one read) every record
 * shares one critical section, entered at the batch's first record and left at its close, so a read that brings
 * sixteen replies costs two atomic increments, not thirty-two. A reader taking an interval meanwhile waits for
 * the batch to close (microseconds: one read's decoding); records in the batch read the active pair each time,
 * so a swap in the middle of a batch loses nothing (the reader's flip waits for the batch before it reads the old
 * pair). The caller must close every batch it opens, also when decoding throws.
 */
public final class LatencyRecorder {
    /** Values are clamped to this (one hour), so a pathological stall cannot throw on the loop thread. */
    public static final long HIGHEST_TRACKABLE_NS = TimeUnit.HOURS.toNanos(1);
    /** Significant decimal digits kept. */
    public static final int SIGNIFICANT_DIGITS = 3;

    /** The two histograms of one interval. */
    private static final class Pair {
        final Histogram corrected = newHistogram();
        final Histogram uncorrected = newHistogram();

        void reset() {
            corrected.reset();
            uncorrected.reset();
        }
    }

    private final WriterReaderPhaser phaser = new WriterReaderPhaser();
    /** Written by the reporting thread, read by the loop thread once per reply. */
    private volatile Pair active = new Pair();
    /** Reporting thread only. */
    private Pair inactive = new Pair();
    /** Loop thread only: a batch is open. */
    private boolean batchOpen;
    /** Loop thread only: the open batch has entered its critical section (with {@link #batchPhase}). */
    private boolean batchEntered;
    private long batchPhase;

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
        if (batchOpen) {
            if (!batchEntered) {
                batchPhase = phaser.writerCriticalSectionEnter();
                batchEntered = true;
            }
            final Pair pair = active;
            pair.corrected.recordValue(clamp(correctedNs));
            pair.uncorrected.recordValue(clamp(uncorrectedNs));
            return;
        }
        final long criticalValue = phaser.writerCriticalSectionEnter();
        try {
            final Pair pair = active;
            pair.corrected.recordValue(clamp(correctedNs));
            pair.uncorrected.recordValue(clamp(uncorrectedNs));
        } finally {
            phaser.writerCriticalSectionExit(criticalValue);
        }
    }

    /** Starts a batch: the records until {@link #closeBatch()} share one critical section (loop thread only). */
    public void openBatch() {
        batchOpen = true;
    }

    /** Ends the batch, leaving its critical section if a record entered it; harmless without one (loop thread). */
    public void closeBatch() {
        batchOpen = false;
        if (batchEntered) {
            batchEntered = false;
            phaser.writerCriticalSectionExit(batchPhase);
        }
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
    public synchronized void takeInterval(final Histogram correctedTarget, final Histogram uncorrectedTarget) {
        final Pair interval;
        phaser.readerLock();
        try {
            inactive.reset();
            interval = active;
            active = inactive;
            // Waits until the loop thread has left any critical section that still writes to the old pair.
            phaser.flipPhase();
            inactive = interval;
        } finally {
            phaser.readerUnlock();
        }
        interval.corrected.copyInto(correctedTarget);
        interval.uncorrected.copyInto(uncorrectedTarget);
    }
}
