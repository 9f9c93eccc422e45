package dev.ringside.bench.schedule;

/**
 * The open-loop schedule of one load-generator thread: intended send times for each of its connections.
 *
 * <p>The thread's share of the rate is one arithmetic sequence of <em>slots</em>, {@code periodNs} apart,
 * dealt round-robin to its connections: slot {@code j} belongs to connection {@code j % connections} and is
 * that connection's message {@code j / connections}. So every connection sends at its equal share of the
 * rate, the connections are staggered evenly instead of firing together, and the intended time of any
 * message is a multiplication, never an accumulation that would drift:
 * {@code intended(c, k) = startNs + (k * connections + c) * periodNs}.
 *
 * <p>{@link #release} walks the slots that have come due, in order, and hands each to a
 * {@link SlotListener}; a connection that cannot send its message yet (a reply outstanding, its buffer full)
 * is simply behind, and sends it as soon as it can with {@link #nextSeq}/{@link #advance}. Intended times
 * never move: that is what makes the measured latency free of coordinated omission (wrk2's method).
 *
 * <p>The schedule knows when every message it holds has been sent: it counts the connections that still owe one
 * (a next message intended before the end), {@link #advance} and {@link #retire} (a connection closed for good
 * gives up what it owed) count them down, and {@link #isAllSent()} is that count reaching zero. So the end of an
 * open-loop backlog is an event of the thread that sends it, not something found by a scan or a poll.
 *
 * <p>State is primitive arrays; nothing allocates after construction. Single-threaded.
 */
public final class SendSchedule {
    /** Receives slots as they come due. */
    @FunctionalInterface
    public interface SlotListener {
        /**
         * A connection's message has come due.
         *
         * @param connection local connection index
         * @param seq        the message's sequence number on that connection
         * @param intendedNs when it should be (have been) sent
         */
        void onSlotDue(int connection, long seq, long intendedNs);
    }

    private final int connections;
    private final double periodNs;
    private final long[] nextSeq;
    private final boolean[] retired;
    /** Connections whose next message is intended before the end and that are not retired. */
    private int owing;
    private long startNs;
    private long endNs = Long.MAX_VALUE;
    private long cursor;
    private boolean started;

    /**
     * Creates a schedule.
     *
     * @param connections   how many connections share this thread's rate; at least 1
     * @param ratePerSecond this thread's total messages per second; positive
     */
    public SendSchedule(final int connections, final double ratePerSecond) {
        if (connections < 1) {
            throw new IllegalArgumentException("a schedule needs at least one connection, got " + connections);
        }
        if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
            throw new IllegalArgumentException("rate must be positive, got " + ratePerSecond);
        }
        this.connections = connections;
        this.periodNs = 1e9 / ratePerSecond;
        this.nextSeq = new long[connections];
        this.retired = new boolean[connections];
    }

    /**
     * Fixes the time of slot 0 and the end of the schedule; slots intended at or after {@code endNs} never
     * come due.
     *
     * @param startNs intended time of the first slot
     * @param endNs   end of the schedule (exclusive)
     */
    public void start(final long startNs, final long endNs) {
        this.startNs = startNs;
        this.endNs = endNs;
        this.cursor = 0;
        this.started = true;
        java.util.Arrays.fill(nextSeq, 0);
        owing = 0;
        for (int connection = 0; connection < connections; connection++) {
            // A connection retired before the start (closed for good during the ramp) owes nothing.
            if (!retired[connection] && intendedNs(connection, 0) - endNs < 0) {
                owing++;
            }
        }
    }

    /** @return whether {@link #start} was called */
    public boolean isStarted() {
        return started;
    }

    /** @return connections in the schedule */
    public int connections() {
        return connections;
    }

    /** @return nanoseconds between consecutive slots of this thread */
    public double periodNs() {
        return periodNs;
    }

    /** @return end of the schedule (exclusive) */
    public long endNs() {
        return endNs;
    }

    /**
     * The intended send time of a message.
     *
     * @param connection local connection index
     * @param seq        the message's sequence number on that connection
     * @return its intended send time
     */
    public long intendedNs(final int connection, final long seq) {
        return startNs + (long) ((seq * connections + connection) * periodNs);
    }

    /**
     * @param connection local connection index
     * @return the sequence number of the next message that connection has to send
     */
    public long nextSeq(final int connection) {
        return nextSeq[connection];
    }

    /**
     * @param connection local connection index
     * @return the intended time of its next message; {@link Long#MAX_VALUE} once past the end
     */
    public long nextIntendedNs(final int connection) {
        final long intended = intendedNs(connection, nextSeq[connection]);
        return retired[connection] || intended - endNs >= 0 ? Long.MAX_VALUE : intended;
    }

    /**
     * Marks a connection's next message as sent.
     *
     * @param connection local connection index
     * @return whether that was the last message anyone owed: everything the schedule holds is sent or retired
     */
    public boolean advance(final int connection) {
        final long seq = ++nextSeq[connection];
        if (!retired[connection] && intendedNs(connection, seq) - endNs >= 0
            && intendedNs(connection, seq - 1) - endNs < 0) {
            return --owing == 0;
        }
        return false;
    }

    /**
     * Gives up what a connection still owes: it will send nothing more (closed for good). Idempotent.
     *
     * @param connection local connection index
     * @return whether that left nothing owed by anyone
     */
    public boolean retire(final int connection) {
        if (retired[connection]) {
            return false;
        }
        retired[connection] = true;
        if (started && intendedNs(connection, nextSeq[connection]) - endNs < 0) {
            return --owing == 0;
        }
        return false;
    }

    /**
     * @return whether the schedule has started and no connection owes a message intended before the end (each
     *         has sent all of its messages, or was retired)
     */
    public boolean isAllSent() {
        return started && owing == 0;
    }

    /**
     * Whether a connection has a message due: intended at or before {@code nowNs} and before the end.
     *
     * @param connection local connection index
     * @param nowNs      the time now
     * @return whether a message is due
     */
    public boolean isDue(final int connection, final long nowNs) {
        final long intended = intendedNs(connection, nextSeq[connection]);
        return intended - nowNs <= 0 && intended - endNs < 0;
    }

    /** @return intended time of the next slot to release, or {@link Long#MAX_VALUE} when none is left */
    public long nextSlotNs() {
        if (!started) {
            return Long.MAX_VALUE;
        }
        final long intended = startNs + (long) (cursor * periodNs);
        return intended - endNs >= 0 ? Long.MAX_VALUE : intended;
    }

    /**
     * Hands every slot due by {@code nowNs} to the listener, oldest first, at most {@code budget} of them.
     *
     * @param nowNs    the time now
     * @param listener receives each due slot
     * @param budget   most slots to release in this call
     * @return slots released
     */
    public int release(final long nowNs, final SlotListener listener, final int budget) {
        if (!started) {
            return 0;
        }
        int released = 0;
        while (released < budget) {
            final long intended = startNs + (long) (cursor * periodNs);
            if (intended - nowNs > 0 || intended - endNs >= 0) {
                break;
            }
            final int connection = (int) (cursor % connections);
            final long seq = cursor / connections;
            cursor++;
            released++;
            listener.onSlotDue(connection, seq, intended);
        }
        return released;
    }

    /**
     * @param untilNs end of the window (exclusive)
     * @param fromNs  start of the window (inclusive)
     * @return how many slots are intended within {@code [fromNs, untilNs)}
     */
    public long slotsBetween(final long fromNs, final long untilNs) {
        return firstSlotAtOrAfter(Math.min(untilNs, endNs)) - firstSlotAtOrAfter(fromNs);
    }

    private long firstSlotAtOrAfter(final long timeNs) {
        if (timeNs - startNs <= 0) {
            return 0;
        }
        long slot = (long) Math.ceil((timeNs - startNs) / periodNs);
        // Correct rounding at the edge so the answer agrees exactly with intendedNs().
        while (slot > 0 && startNs + (long) ((slot - 1) * periodNs) - timeNs >= 0) {
            slot--;
        }
        while (startNs + (long) (slot * periodNs) - timeNs < 0) {
            slot++;
        }
        return slot;
    }
}
