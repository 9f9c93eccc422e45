package dev.ringside.bench.record;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class LatencyRecorderTest {
    /**
     * Each interval holds exactly the replies recorded since the previous one, in both histograms. Catches an
     * interval pair that is not reset before it is reused (counts carried into the next interval) and a swap that
     * hands back the pair still being written.
     */
    @Test
    void shouldHandBackEachIntervalOnceInBothHistograms() {
        final LatencyRecorder recorder = new LatencyRecorder();
        final Histogram corrected = LatencyRecorder.newHistogram();
        final Histogram uncorrected = LatencyRecorder.newHistogram();
        for (int interval = 1; interval <= 4; interval++) {
            for (int i = 0; i < interval * 10; i++) {
                recorder.record(2_000 + i, 1_000);
            }
            recorder.record(-5, LatencyRecorder.HIGHEST_TRACKABLE_NS * 2); // clamped, never thrown
            recorder.takeInterval(corrected, uncorrected);
            assertEquals(interval * 10 + 1, corrected.getTotalCount(), "interval " + interval);
            assertEquals(interval * 10 + 1, uncorrected.getTotalCount(), "interval " + interval);
            assertEquals(0, corrected.getMinValue());
            assertEquals(1_000, uncorrected.getValueAtPercentile(50));
        }
        recorder.takeInterval(corrected, uncorrected);
        assertEquals(0, corrected.getTotalCount(), "nothing recorded since");
    }

    /**
     * A loop thread records while the reporting thread takes intervals: every reply lands in exactly one interval
     * and in both of its histograms. Catches a swap that does not wait for the writer's critical section (a
     * reply recorded into a pair that is being reset is lost).
     */
    @Test
    @Timeout(60)
    void shouldLoseNoReplyWhileIntervalsAreTakenConcurrently() throws InterruptedException {
        final LatencyRecorder recorder = new LatencyRecorder();
        final int replies = 2_000_000;
        final Thread writer = new Thread(() -> {
            for (int i = 0; i < replies; i++) {
                recorder.record(1_000 + (i & 1023), 500);
            }
        });
        assertEveryReplyInOneInterval(recorder, writer, replies);
    }

    /** Takes intervals while the writer records, then once more; both histograms must hold every reply once. */
    private static void assertEveryReplyInOneInterval(final LatencyRecorder recorder, final Thread writer,
        final long replies) throws InterruptedException {
        final Histogram corrected = LatencyRecorder.newHistogram();
        final Histogram uncorrected = LatencyRecorder.newHistogram();
        long correctedTotal = 0;
        long uncorrectedTotal = 0;
        writer.start();
        boolean last = false;
        while (!last) {
            last = !writer.isAlive();
            if (last) {
                writer.join();
            }
            recorder.takeInterval(corrected, uncorrected);
            correctedTotal += corrected.getTotalCount();
            uncorrectedTotal += uncorrected.getTotalCount();
        }
        assertEquals(replies, correctedTotal);
        assertEquals(replies, uncorrectedTotal);
    }

    /**
     * The same with the loop thread recording in batches of sixteen (one read's replies share one critical
     * section), the batch's first record entering it and the close leaving it. Catches: a batch that records
     * outside any critical section (tried: no enter in a batch; replies were lost to pairs being reset) and a close
     * that does not leave it (tried: the reader waited for ever and the watchdog fired).
     */
    @Test
    @Timeout(60)
    void shouldLoseNoReplyRecordedInBatchesWhileIntervalsAreTaken() throws InterruptedException {
        final LatencyRecorder recorder = new LatencyRecorder();
        final int batches = 125_000;
        final Thread writer = new Thread(() -> {
            for (int b = 0; b < batches; b++) {
                recorder.openBatch();
                for (int i = 0; i < 16; i++) {
                    recorder.record(1_000 + ((b + i) & 1023), 500);
                }
                recorder.closeBatch();
            }
            recorder.closeBatch(); // a close without a batch is harmless
        });
        assertEveryReplyInOneInterval(recorder, writer, batches * 16L);
    }
}
