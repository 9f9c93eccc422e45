package dev.ringside.engine.counter;

import java.nio.ByteBuffer;

import dev.ringside.engine.protocol.CloseReason;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

/**
 * One event loop's counters. Each loop has its own set and is its only writer, so updates use plain
 * single-writer stores with release semantics rather than atomic read-modify-write instructions; readers
 * (the stat command) sum counters of the same type across loops.
 */
public final class LoopCounters implements AutoCloseable {
    private final AtomicCounter[] counters = new AtomicCounter[EngineCounter.values().length];
    private final AtomicCounter[] closeReasons = new AtomicCounter[CloseReason.values().length];

    /**
     * Allocates this loop's counters.
     *
     * @param manager where to allocate them
     * @param loopName label prefix, e.g. {@code loop-0}
     */
    public LoopCounters(final CountersManager manager, final String loopName) {
        for (final EngineCounter counter : EngineCounter.values()) {
            counters[counter.ordinal()] = manager.newCounter(loopName + ": " + counter.label(), counter.id());
        }
        for (final CloseReason reason : CloseReason.values()) {
            closeReasons[reason.ordinal()] = manager.newCounter(
                loopName + ": closed, " + reason.label(), EngineCounter.CLOSE_REASON_TYPE_BASE + reason.ordinal());
        }
    }

    /**
     * Creates counters in private memory, for a loop whose process publishes no counters file (tests,
     * embedded use).
     *
     * @param loopName label prefix
     * @return the counters
     */
    public static LoopCounters standalone(final String loopName) {
        final int count = EngineCounter.values().length + CloseReason.values().length;
        final CountersManager manager = new CountersManager(
            new UnsafeBuffer(ByteBuffer.allocateDirect(count * CountersReader.METADATA_LENGTH)),
            new UnsafeBuffer(ByteBuffer.allocateDirect(count * CountersReader.COUNTER_LENGTH)));
        return new LoopCounters(manager, loopName);
    }

    /** @return how many counters one loop allocates */
    public static int countersPerLoop() {
        return EngineCounter.values().length + CloseReason.values().length;
    }

    /**
     * Adds to a counter.
     *
     * @param counter which
     * @param delta   amount
     */
    public void add(final EngineCounter counter, final long delta) {
        counters[counter.ordinal()].getAndAddRelease(delta);
    }

    /**
     * Adds one to a counter.
     *
     * @param counter which
     */
    public void increment(final EngineCounter counter) {
        counters[counter.ordinal()].incrementRelease();
    }

    /**
     * Sets a gauge.
     *
     * @param counter which
     * @param value   new value
     */
    public void set(final EngineCounter counter, final long value) {
        counters[counter.ordinal()].setRelease(value);
    }

    /**
     * Counts one close.
     *
     * @param reason why it closed
     */
    public void closed(final CloseReason reason) {
        closeReasons[reason.ordinal()].incrementRelease();
        counters[EngineCounter.CONNECTIONS_CLOSED.ordinal()].incrementRelease();
    }

    /**
     * Reads a counter.
     *
     * @param counter which
     * @return its value
     */
    public long get(final EngineCounter counter) {
        return counters[counter.ordinal()].get();
    }

    /**
     * Reads a close-reason counter.
     *
     * @param reason which
     * @return closes counted for it
     */
    public long closedBy(final CloseReason reason) {
        return closeReasons[reason.ordinal()].get();
    }

    @Override
    public void close() {
        for (final AtomicCounter counter : counters) {
            counter.close();
        }
        for (final AtomicCounter counter : closeReasons) {
            counter.close();
        }
    }
}
