package dev.ringside.bench.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Intended send times at rates whose period is not a whole number of nanoseconds, over hours of simulated
 * time: what {@link SendSchedule#release} hands out, what {@link SendSchedule#intendedNs} answers and the
 * exact {@code start + floor(slot * 1e9 / rate)} (integer arithmetic) agree to a nanosecond.
 *
 * <p>Catches: {@code intendedNs} (or {@code release}) multiplying by {@code periodNs} truncated to a long,
 * which drifts by the lost fraction every slot (0.33 ns at 3 msg/s, 0.29 ns at 7,777 msg/s, 0.003 ns at
 * 333,333 msg/s: milliseconds after an hour), and any schedule that accumulates its period.
 */
class SchedulePrecisionTest {
    private static final long START = 123_456_789_000L;
    private static final long SECOND_NS = 1_000_000_000L;
    private static final long HOUR_NS = 3600 * SECOND_NS;

    @Test
    void shouldKeepThreeMessagesPerSecondExactForSixHours() {
        checkReleased(3, 2, 6 * HOUR_NS, HOUR_NS);
        checkSampled(3, 2, 48 * HOUR_NS);
    }

    @Test
    void shouldKeep7777MessagesPerSecondExactForTenMinutesReleasedAndHoursSampled() {
        checkReleased(7_777, 3, 600 * SECOND_NS, SECOND_NS);
        checkSampled(7_777, 3, 24 * HOUR_NS);
    }

    @Test
    void shouldKeep333333MessagesPerSecondExactForTenSecondsReleasedAndHoursSampled() {
        checkReleased(333_333, 1, 10 * SECOND_NS, 10_000_000L);
        checkSampled(333_333, 1, 24 * HOUR_NS);
    }

    /**
     * Exact edges: a message is due at its intended nanosecond and not one before; a slot intended exactly at
     * the end never comes due; a restarted schedule starts every connection at message 0 again.
     * Written against PIT's surviving boundary mutants of {@code isDue}, {@code nextIntendedNs} and
     * {@code start}.
     */
    @Test
    void shouldBeDueExactlyAtTheIntendedNanosecondAndNeverAtTheEnd() {
        final SendSchedule schedule = new SendSchedule(2, 7_777);
        final long endNs = START + SECOND_NS;
        schedule.start(START, endNs);
        final long first = schedule.intendedNs(1, 0);
        assertEquals(false, schedule.isDue(1, first - 1));
        assertEquals(true, schedule.isDue(1, first));
        assertEquals(first, schedule.nextIntendedNs(1));

        final SendSchedule ending = new SendSchedule(1, 1000);
        ending.start(START, START + 3_000_000L); // slots at 0, 1 and 2 ms; the one at 3 ms is at the end
        for (int i = 0; i < 3; i++) {
            assertEquals(true, ending.isDue(0, START + 3_000_000L));
            ending.advance(0);
        }
        assertEquals(false, ending.isDue(0, START + 3_000_000L), "intended exactly at the end");
        assertEquals(Long.MAX_VALUE, ending.nextIntendedNs(0));
        ending.start(START, START + 3_000_000L);
        assertEquals(0, ending.nextSeq(0), "a restart begins again at message 0");
        assertEquals(START, ending.nextIntendedNs(0));
    }

    /**
     * Every one of the 1.2 billion slots of an hour at 333,333 msg/s released and checked (tens of seconds:
     * tagged {@code slow}, outside {@code mvn verify}; README says how to run it).
     */
    @Test
    @Tag("slow")
    void shouldKeep333333MessagesPerSecondExactForAWholeHourReleased() {
        checkReleased(333_333, 1, HOUR_NS, SECOND_NS);
    }

    /**
     * Releases every slot of {@code durationNs}, a step of simulated time at a time, and checks each one.
     */
    private static void checkReleased(final long perConnectionRate, final int connections, final long durationNs,
        final long stepNs) {
        final long threadRate = perConnectionRate * connections;
        final SendSchedule schedule = new SendSchedule(connections, threadRate);
        schedule.start(START, START + durationNs);
        final long[] expectedSlot = {0};
        final SendSchedule.SlotListener check = (connection, seq, intendedNs) -> {
            final long slot = expectedSlot[0]++;
            if (connection != slot % connections || seq != slot / connections) {
                throw new AssertionError("slot " + slot + " released as connection " + connection + " seq " + seq);
            }
            if (intendedNs != schedule.intendedNs(connection, seq)) {
                throw new AssertionError("slot " + slot + ": release says " + intendedNs + ", intendedNs says "
                    + schedule.intendedNs(connection, seq));
            }
            final long exact = exactNs(slot, threadRate);
            if (Math.abs(intendedNs - exact) > 1) {
                throw new AssertionError("slot " + slot + " at " + perConnectionRate + " msg/s x " + connections
                    + ": intended " + (intendedNs - START) + " ns, exactly " + (exact - START) + " ns");
            }
        };
        for (long now = START; now - (START + durationNs) <= 0; now += stepNs) {
            final long nextSlotNs = schedule.nextSlotNs();
            final int released = schedule.release(now, check, Integer.MAX_VALUE);
            if (released > 0) {
                assertEquals(exactNs(expectedSlot[0] - released, threadRate), nextSlotNs, 1,
                    "nextSlotNs announces the next slot release hands out");
            }
            // Every slot intended at or before now (and before the end) has been released, and none after.
            final long due = slotsAtOrBefore(Math.min(now - START, durationNs - 1), threadRate);
            assertEquals(due, expectedSlot[0], "slots released by " + (now - START) + " ns");
        }
        assertEquals(slotsAtOrBefore(durationNs - 1, threadRate), expectedSlot[0], "slots before the end");
        assertEquals(expectedSlot[0], schedule.slotsBetween(START, START + durationNs));
    }

    /** Checks intended times and window counts far into a long run, without releasing every slot. */
    private static void checkSampled(final long perConnectionRate, final int connections, final long durationNs) {
        final long threadRate = perConnectionRate * connections;
        final SendSchedule schedule = new SendSchedule(connections, threadRate);
        schedule.start(START, START + durationNs);
        final long lastSlot = slotsAtOrBefore(durationNs - 1, threadRate) - 1;
        for (long slot = lastSlot; slot > 0; slot = slot * 7 / 8) {
            final int connection = (int) (slot % connections);
            final long seq = slot / connections;
            final long intended = schedule.intendedNs(connection, seq);
            assertEquals(exactNs(slot, threadRate), intended, 1, "slot " + slot + " of " + lastSlot);
        }
        for (long hour = 0; hour + HOUR_NS <= durationNs; hour += HOUR_NS) {
            final long expected =
                slotsAtOrBefore(hour + HOUR_NS - 1, threadRate) - slotsAtOrBefore(hour - 1, threadRate);
            final long counted = schedule.slotsBetween(START + hour, START + hour + HOUR_NS);
            // Within one: a slot exactly on the hour may be computed a nanosecond early (double rounding).
            assertEquals(expected, counted, 1, "slots in hour " + hour / HOUR_NS);
        }
    }

    /** The exact intended time of a slot: {@code floor(slot * 1e9 / rate)} in integer arithmetic. */
    private static long exactNs(final long slot, final long threadRate) {
        if (slot < Long.MAX_VALUE / SECOND_NS) {
            return START + slot * SECOND_NS / threadRate;
        }
        return START + BigInteger.valueOf(slot).multiply(BigInteger.valueOf(SECOND_NS))
            .divide(BigInteger.valueOf(threadRate)).longValueExact();
    }

    /** Slots intended within {@code [0, offsetNs]} of the start; 0 for a negative offset. */
    private static long slotsAtOrBefore(final long offsetNs, final long threadRate) {
        if (offsetNs < 0) {
            return 0;
        }
        // Slot k is at floor(k * 1e9 / rate) <= offset  <=>  k * 1e9 < (offset + 1) * rate.
        return BigInteger.valueOf(offsetNs + 1).multiply(BigInteger.valueOf(threadRate)).subtract(BigInteger.ONE)
            .divide(BigInteger.valueOf(SECOND_NS)).longValueExact() + 1;
    }
}
