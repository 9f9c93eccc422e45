package dev.ringside.bench.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The edges of {@link ConnectPacer} that {@code SendScheduleTest}'s pacing tests leave open (written against PIT's
 * surviving mutants): what is valid to build, when the next attempt is due, and what a caller may not do.
 */
class ConnectPacerTest {
    private static final long START = 1_000_000_000L;

    @Test
    void shouldAcceptAnEmptyThreadButNoNegativeCapacityAndOnlyAPositiveRate() {
        // Catches `capacity < 0` as `<= 0` (a generator thread left without clients could not be built) and
        // `rate > 0` as `>= 0` (a zero rate would divide by zero into an infinite interval).
        final ConnectPacer empty = new ConnectPacer(0, 1000);
        assertEquals(0, empty.waiting());
        assertThrows(IllegalArgumentException.class, () -> new ConnectPacer(-1, 1000));
        assertThrows(IllegalArgumentException.class, () -> new ConnectPacer(1, 0));
        assertThrows(IllegalArgumentException.class, () -> new ConnectPacer(1, -5));
        assertThrows(IllegalArgumentException.class, () -> new ConnectPacer(1, Double.NaN));
    }

    @Test
    void shouldSayWhenTheNextAttemptIsDueOnlyOnceStartedAndSomethingWaits() {
        // Catches nextDueNs ignoring the start or the queue, or computing the due time from the wrong index
        // (attempt i is due at start + i intervals), and isStarted answering a constant.
        final ConnectPacer pacer = new ConnectPacer(4, 1000);
        pacer.request(0, START);
        pacer.request(1, START);
        assertFalse(pacer.isStarted());
        assertEquals(Long.MAX_VALUE, pacer.nextDueNs(), "not started: nothing is due");
        assertEquals(0, pacer.due(START + 1_000_000_000L, 10), "not started: nothing is due");
        pacer.start(START);
        assertTrue(pacer.isStarted());
        assertEquals(START, pacer.nextDueNs(), "the first attempt is due at the start");
        assertEquals(0, pacer.due(START, 0), "a budget of 0 allows none");
        assertEquals(1, pacer.due(START, 10));
        assertEquals(0, pacer.take());
        assertEquals(START + 1_000_000, pacer.nextDueNs(), "then one interval (1 ms at 1000/s) later");
        assertEquals(0, pacer.due(START + 999_999, 10), "not a nanosecond early");
        assertEquals(1, pacer.due(START + 1_000_000, 10));
        assertEquals(1, pacer.take());
        assertEquals(0, pacer.waiting());
        assertEquals(Long.MAX_VALUE, pacer.nextDueNs(), "nothing waits");
    }

    @Test
    void shouldRefuseToTakeWhenNothingWaits() {
        // Catches take() handing out a stale id from an empty queue (a client connected twice).
        final ConnectPacer pacer = new ConnectPacer(2, 1000);
        pacer.start(START);
        assertThrows(IllegalStateException.class, pacer::take);
        pacer.request(7, START);
        assertEquals(7, pacer.take());
        assertThrows(IllegalStateException.class, pacer::take);
    }

    @Test
    void shouldResumeAtTheRateAfterAQuietSpellWithoutCatchingUpOnItsWholeLength() {
        // Catches a quiet spell's credit not capped (10 s of quiet at 1000/s would allow 10,000 attempts) or
        // capped at the wrong size (10 ms at 1000/s is 10 attempts: 9 intervals of credit plus the one due now).
        final ConnectPacer pacer = new ConnectPacer(100, 1000);
        pacer.start(START);
        final long later = START + 10_000_000_000L;
        for (int i = 0; i < 100; i++) {
            pacer.request(i, later);
        }
        assertEquals(10, pacer.due(later, 1000), "10 ms worth at 1000/s");
        assertEquals(later - 9_000_000, pacer.nextDueNs(), "the credit starts 9 intervals back");
        for (int i = 0; i < 10; i++) {
            assertEquals(i, pacer.take());
        }
        assertEquals(0, pacer.due(later, 1000));
        assertEquals(later + 1_000_000, pacer.nextDueNs());
        assertEquals(1, pacer.due(later + 1_000_000, 1000));
    }

    @Test
    void shouldCatchUpOnAttemptsThatWaitedAndGrantNoCreditForAShortPause() {
        // Catches the quiet-spell cap applied while attempts wait (a late generator would lose the attempts it
        // owes and fall back to the burst), the cap applied after a pause shorter than the credit (a burst of 10
        // after every 1 ms gap instead of the rate), and waiting() answering 0.
        final ConnectPacer pacer = new ConnectPacer(100, 1000);
        pacer.start(START);
        for (int i = 0; i < 20; i++) {
            pacer.request(i, START);
        }
        assertEquals(20, pacer.waiting());
        pacer.request(20, START + 1_000_000_000L);
        assertEquals(21, pacer.due(START + 1_000_000_000L, 1000), "a second late: all 21 are owed");
        for (int i = 0; i < 21; i++) {
            pacer.take();
        }
        final ConnectPacer steady = new ConnectPacer(10, 1000);
        steady.start(START);
        steady.request(0, START);
        assertEquals(1, steady.due(START, 10));
        steady.take();
        steady.request(1, START + 1_000_000); // the queue was empty for one interval only
        assertEquals(1, steady.due(START + 1_000_000, 10), "the next attempt at the rate, not a burst");
    }
}
