package dev.ringside.bench.record;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One load-generator thread's counters: {@link LoadCounter}s and one per {@link ErrorKind}. The loop thread
 * is the only writer and publishes each update with a release store (no atomic read-modify-write); the
 * reporting thread reads with acquire loads. Nothing allocates.
 */
public final class LoadCounters {
    private static final VarHandle VALUES = MethodHandles.arrayElementVarHandle(long[].class);
    private static final int ERROR_BASE = LoadCounter.values().length;

    private final long[] values = new long[ERROR_BASE + ErrorKind.values().size()];

    /**
     * Adds one (writer thread only).
     *
     * @param counter which
     */
    public void increment(final LoadCounter counter) {
        add(counter.ordinal(), 1);
    }

    /**
     * Adds a delta (writer thread only).
     *
     * @param counter which
     * @param delta   amount, may be negative for gauges
     */
    public void add(final LoadCounter counter, final long delta) {
        add(counter.ordinal(), delta);
    }

    /**
     * Counts one error (writer thread only).
     *
     * @param kind which
     */
    public void error(final ErrorKind kind) {
        add(ERROR_BASE + kind.index(), 1);
    }

    /**
     * Counts errors (writer thread only).
     *
     * @param kind  which
     * @param count how many
     */
    public void errors(final ErrorKind kind, final long count) {
        add(ERROR_BASE + kind.index(), count);
    }

    private void add(final int index, final long delta) {
        VALUES.setRelease(values, index, values[index] + delta);
    }

    /**
     * Reads a counter (any thread).
     *
     * @param counter which
     * @return its value
     */
    public long get(final LoadCounter counter) {
        return (long) VALUES.getAcquire(values, counter.ordinal());
    }

    /**
     * Reads an error count (any thread).
     *
     * @param kind which
     * @return its value
     */
    public long errors(final ErrorKind kind) {
        return (long) VALUES.getAcquire(values, ERROR_BASE + kind.index());
    }

    /** @return all errors (any thread) */
    public long errorTotal() {
        long total = 0;
        for (final ErrorKind kind : ErrorKind.values()) {
            total += errors(kind);
        }
        return total;
    }
}
