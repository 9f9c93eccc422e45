package dev.ringside.bench.schedule;

/**
 * Paces connection attempts at a bounded rate: the first ramp, so that thousands of connections do not
 * arrive as one SYN burst that overflows the listener's backlog, and every attempt after it (a reconnect
 * after the server closed a connection, a retry after a refused connect, a churn run's next connection).
 *
 * <p>Attempts wait in a FIFO of client ids (each id at most once: the caller keeps a flag). Attempt
 * {@code i} since the pacer's base time is due at {@code baseNs + i * intervalNs}, computed by
 * multiplication, never accumulated; a generator that is late makes the attempts that are due, up to a
 * budget per call, and catches up on the next. After a quiet spell the credit is capped at 10 ms worth of
 * the rate, at least one attempt and at most {@link #BURST}: a server that refuses every connect, or closes
 * every connection at once, gets attempts at the rate and never a spin or an unbounded burst.
 */
public final class ConnectPacer {
    /** Attempts that may go at once after a quiet spell at most (fewer than any listen backlog Linux ships with). */
    public static final int BURST = 64;
    /** The credit a quiet spell earns: this long at the rate (then capped at {@link #BURST}). */
    private static final double CREDIT_S = 0.010;

    private final int[] queue;
    private final double intervalNs;
    private final long creditNs;
    private long head;
    private long tail;
    private long baseNs;
    private long takenSinceBase;
    private boolean started;

    /**
     * Creates a pacer.
     *
     * @param capacity      most ids waiting at once (the clients of one generator thread)
     * @param ratePerSecond attempts per second; {@link Double#POSITIVE_INFINITY} for no pacing
     */
    public ConnectPacer(final int capacity, final double ratePerSecond) {
        if (capacity < 0 || !(ratePerSecond > 0)) {
            throw new IllegalArgumentException("connect pacing needs capacity >= 0 and a positive rate");
        }
        this.queue = new int[Math.max(1, capacity)];
        this.intervalNs = Double.isInfinite(ratePerSecond) ? 0 : 1e9 / ratePerSecond;
        final long burst = Math.max(1, Math.min(BURST, (long) (ratePerSecond * CREDIT_S)));
        this.creditNs = (long) ((burst - 1) * intervalNs);
    }

    /**
     * Starts pacing: the first attempt is due now, the next one interval later.
     *
     * @param nowNs the time now
     */
    public void start(final long nowNs) {
        this.baseNs = nowNs;
        this.takenSinceBase = 0;
        this.started = true;
    }

    /** @return whether {@link #start} was called */
    public boolean isStarted() {
        return started;
    }

    /**
     * Queues an attempt for a client.
     *
     * @param id    the client
     * @param nowNs the time now
     * @throws IllegalStateException when more ids wait than the capacity (an id queued twice)
     */
    public void request(final int id, final long nowNs) {
        if (tail - head == queue.length) {
            throw new IllegalStateException("connect queue full: a client was queued twice");
        }
        if (started && head == tail && intervalNs > 0) {
            // Quiet until now: the credit a quiet spell earned is capped, so that attempts resume at the rate.
            if (nowNs - creditNs - dueNs(takenSinceBase) > 0) {
                baseNs = nowNs - creditNs;
                takenSinceBase = 0;
            }
        }
        queue[(int) (tail++ % queue.length)] = id;
    }

    /**
     * @param nowNs  the time now
     * @param budget most attempts allowed in this call
     * @return how many attempts are due now (at most {@code budget}); call {@link #take} for each made
     */
    public int due(final long nowNs, final int budget) {
        final long waiting = tail - head;
        if (!started || waiting == 0) {
            return 0;
        }
        final long allowed = intervalNs == 0 ? waiting
            : (long) ((nowNs - baseNs) / intervalNs) + 1 - takenSinceBase;
        return (int) Math.max(0, Math.min(budget, Math.min(waiting, allowed)));
    }

    /**
     * Takes the next attempt (only after {@link #due} said it is due).
     *
     * @return the id of the client to connect
     */
    public int take() {
        if (head == tail) {
            throw new IllegalStateException("no connect attempt is waiting");
        }
        takenSinceBase++;
        return queue[(int) (head++ % queue.length)];
    }

    /** @return attempts waiting */
    public int waiting() {
        return (int) (tail - head);
    }

    /** @return when the next attempt is due, or {@link Long#MAX_VALUE} when none waits */
    public long nextDueNs() {
        if (!started || head == tail) {
            return Long.MAX_VALUE;
        }
        return dueNs(takenSinceBase);
    }

    private long dueNs(final long index) {
        return baseNs + (long) (index * intervalNs);
    }
}
