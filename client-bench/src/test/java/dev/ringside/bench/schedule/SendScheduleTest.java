package dev.ringside.bench.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class SendScheduleTest {
    private static final long START = 1_000_000_000L;

    @Test
    void shouldStaggerConnectionsEvenlyAndGiveEachItsShareOfTheRate() {
        // 4 connections sharing 1000 msg/s: slots 1 ms apart, each connection every 4 ms.
        final SendSchedule schedule = new SendSchedule(4, 1000);
        schedule.start(START, START + 1_000_000_000L);
        assertEquals(START, schedule.intendedNs(0, 0));
        assertEquals(START + 1_000_000, schedule.intendedNs(1, 0));
        assertEquals(START + 3_000_000, schedule.intendedNs(3, 0));
        assertEquals(START + 4_000_000, schedule.intendedNs(0, 1));
        assertEquals(START + 4_000_000L * 100 + 2_000_000, schedule.intendedNs(2, 100));
    }

    @Test
    void shouldReleaseDueSlotsInOrderAndNeverDriftOverALongRun() {
        final SendSchedule schedule = new SendSchedule(3, 30_000);
        schedule.start(START, Long.MAX_VALUE);
        final List<long[]> released = new ArrayList<>();
        // One hour of slots released in one call per simulated second: the 108,000,000th slot is still exact.
        long total = 0;
        for (int second = 1; second <= 3600; second++) {
            final long now = START + second * 1_000_000_000L;
            int n;
            while ((n = schedule.release(now, (c, seq, intended) -> {
                if (released.size() < 10) {
                    released.add(new long[] {c, seq, intended});
                }
            }, Integer.MAX_VALUE)) > 0) {
                total += n;
            }
        }
        assertEquals(30_000L * 3600 + 1, total, "slots at or before the last instant, inclusive");
        assertEquals(0, released.get(0)[0]);
        assertEquals(1, released.get(1)[0]);
        assertEquals(2, released.get(2)[0]);
        assertEquals(0, released.get(3)[0]);
        assertEquals(1, released.get(3)[1]);
        final long lastSlot = total - 1;
        assertEquals(START + 3600L * 1_000_000_000L, START + (long) (lastSlot * schedule.periodNs()));
    }

    @Test
    void shouldStopAtTheEndAndRespectTheBudget() {
        final SendSchedule schedule = new SendSchedule(1, 1000);
        schedule.start(START, START + 10_000_000);
        final int[] count = new int[1];
        assertEquals(5, schedule.release(START + 1_000_000_000L, (c, s, i) -> count[0]++, 5));
        assertEquals(5, schedule.release(START + 1_000_000_000L, (c, s, i) -> count[0]++, 100));
        assertEquals(0, schedule.release(START + 1_000_000_000L, (c, s, i) -> count[0]++, 100));
        assertEquals(10, count[0], "slots intended at or after the end never come due");
        assertEquals(Long.MAX_VALUE, schedule.nextSlotNs());
        assertEquals(10, schedule.slotsBetween(START, START + 10_000_000));
        assertEquals(5, schedule.slotsBetween(START + 5_000_000, START + 20_000_000));
    }

    @Test
    void shouldKeepABehindConnectionDueUntilItCatchesUp() {
        final SendSchedule schedule = new SendSchedule(2, 1000);
        schedule.start(START, Long.MAX_VALUE);
        final long now = START + 10_000_000;
        assertTrue(schedule.isDue(0, now));
        for (int i = 0; i < 6; i++) {
            schedule.advance(0); // connection 0 sends 0..5, intended at 0, 2, ..., 10 ms
        }
        assertFalse(schedule.isDue(0, now), "message 6 is intended at 12 ms");
        assertEquals(START + 12_000_000, schedule.nextIntendedNs(0));
        assertTrue(schedule.isDue(1, now), "connection 1 sent nothing and is behind");
        // Catches: nextSeq answering 0 (a reconnected connection would restart its sequence numbers, and the
        // echo checker would reject the replies) or another connection's count.
        assertEquals(6, schedule.nextSeq(0), "six sent: the next is message 6");
        assertEquals(0, schedule.nextSeq(1));
        schedule.start(START, Long.MAX_VALUE);
        assertEquals(0, schedule.nextSeq(0), "a restart forgets what was sent");
    }

    @Test
    void shouldRejectNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new SendSchedule(0, 10));
        assertThrows(IllegalArgumentException.class, () -> new SendSchedule(1, 0));
        assertThrows(IllegalArgumentException.class, () -> new SendSchedule(1, Double.NaN));
    }

    @Test
    void shouldPaceConnectAttempts() {
        final ConnectPacer pacer = new ConnectPacer(10, 1000);
        for (int i = 0; i < 10; i++) {
            pacer.request(i, START);
        }
        pacer.start(START);
        assertEquals(1, pacer.due(START, 100));
        assertEquals(0, pacer.take(), "first in, first out");
        assertEquals(0, pacer.due(START + 500_000, 100));
        assertEquals(4, pacer.due(START + 4_000_000, 100));
        assertEquals(2, pacer.due(START + 4_000_000, 2));
        for (int i = 1; i < 10; i++) {
            assertEquals(i, pacer.take());
        }
        assertEquals(0, pacer.waiting());
        assertEquals(Long.MAX_VALUE, pacer.nextDueNs());
        assertEquals(0, pacer.due(START + 1_000_000_000L, 100));
        final ConnectPacer unpaced = new ConnectPacer(7, Double.POSITIVE_INFINITY);
        for (int i = 0; i < 7; i++) {
            unpaced.request(i, START);
        }
        unpaced.start(START);
        assertEquals(7, unpaced.due(START, 100));
    }

    @Test
    void shouldCapTheCreditOfAQuietSpellSoReconnectsResumeAtTheRate() {
        // Catches: a pacer whose credit grows while nothing waits (an hour of quiet would allow 3.6 million
        // attempts at once: the refused-connect spin the pacer exists to prevent), or one that forgets a
        // requeued client.
        final ConnectPacer pacer = new ConnectPacer(200, 10_000);
        pacer.start(START);
        final long later = START + 3_600_000_000_000L;
        for (int i = 0; i < 200; i++) {
            pacer.request(i, later);
        }
        assertEquals(ConnectPacer.BURST, pacer.due(later, 1000), "a burst (10 ms at the rate, at most 64), then "
            + "the rate");
        for (int i = 0; i < ConnectPacer.BURST; i++) {
            pacer.take();
        }
        assertEquals(0, pacer.due(later, 1000));
        assertEquals(10, pacer.due(later + 1_000_000, 1000), "10,000/s: ten in 1 ms");
        final ConnectPacer slow = new ConnectPacer(10, 100);
        slow.start(START);
        for (int i = 0; i < 10; i++) {
            slow.request(i, later);
        }
        assertEquals(1, slow.due(later, 1000), "100/s earns one attempt of credit, not 64 (640 ms of the rate)");
        assertThrows(IllegalStateException.class, () -> {
            for (int i = 0; i < 100; i++) {
                pacer.request(i, later);
            }
        }, "more waiting than clients: one was queued twice");
    }

    @Test
    void shouldClassifyByIntendedTime() {
        final Timeline timeline = new Timeline(START, 1_000, 2_000);
        assertEquals(Timeline.Phase.WARMUP, timeline.phaseOf(START + 999));
        assertEquals(Timeline.Phase.MEASURED, timeline.phaseOf(START + 1_000));
        assertEquals(Timeline.Phase.MEASURED, timeline.phaseOf(START + 2_999));
        assertEquals(Timeline.Phase.AFTER, timeline.phaseOf(START + 3_000));
        // isMeasured agrees with phaseOf at both edges of the window (catches < for <= at either edge).
        assertFalse(timeline.isMeasured(START + 999));
        assertTrue(timeline.isMeasured(START + 1_000));
        assertTrue(timeline.isMeasured(START + 2_999));
        assertFalse(timeline.isMeasured(START + 3_000));
        assertEquals(START, timeline.loadStartNs());
        assertEquals(START + 1_000, timeline.measureStartNs());
        assertEquals(START + 3_000, timeline.measureEndNs());
        assertEquals(2_000, timeline.durationNs());
    }

    @Test
    void shouldAcceptNoWarmUpAndTheShortestWindowButNothingLess() {
        // Catches the validation's boundaries moved by one: a run without warm-up (--warmup 0) is valid, a
        // window of one nanosecond is valid, a negative warm-up or an empty window is not.
        final Timeline shortest = new Timeline(START, 0, 1);
        assertEquals(Timeline.Phase.MEASURED, shortest.phaseOf(START));
        assertEquals(Timeline.Phase.AFTER, shortest.phaseOf(START + 1));
        assertThrows(IllegalArgumentException.class, () -> new Timeline(START, -1, 1_000));
        assertThrows(IllegalArgumentException.class, () -> new Timeline(START, 0, 0));
    }

    /**
     * The end of the backlog is an event: the schedule counts the connections that still owe a message and says so
     * the moment the last one is sent or given up. Catches: {@code advance} that never counts a connection done
     * (tried: never true), {@code retire} that does not give up what is owed or counts it twice (tried: retiring
     * twice ended the backlog while connection 2 still owed), and a retirement before the start forgotten by start.
     */
    @Test
    void shouldKnowTheBacklogIsSentWhenTheLastOwedMessageIsSentOrGivenUp() {
        // 4 connections at 1000 msg/s over 8 ms: each owes two messages (slots 0..7); 3 retires before the start.
        final SendSchedule schedule = new SendSchedule(4, 1000);
        schedule.retire(3); // closed for good during the ramp: owes nothing once the schedule starts
        schedule.start(START, START + 8_000_000);
        assertFalse(schedule.isAllSent());
        assertFalse(schedule.advance(0), "connection 0 still owes its second message");
        assertFalse(schedule.advance(0), "connection 0 is done, 1 and 2 are not");
        assertFalse(schedule.retire(1), "connection 2 still owes");
        assertFalse(schedule.retire(1), "retiring twice gives nothing up twice");
        assertFalse(schedule.isAllSent());
        assertEquals(Long.MAX_VALUE, schedule.nextIntendedNs(1), "a retired connection has nothing next");
        assertFalse(schedule.advance(2));
        assertTrue(schedule.advance(2), "the last owed message is sent");
        assertTrue(schedule.isAllSent());
        assertFalse(schedule.retire(0), "retiring a connection that owed nothing changes nothing");
        assertTrue(schedule.isAllSent());
    }
}
