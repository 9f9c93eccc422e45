package dev.ringside.engine.model;

import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ringside.engine.buffer.ByteRing;
import dev.ringside.engine.counter.EngineCounter;

/**
 * A bounded pool of rings shared by the threads of a blocking server. Rings are allocated on first demand
 * and reused afterwards; the pool never holds more than its capacity, and {@link #lease()} returns
 * {@code null} rather than allocating beyond it. Each lease keeps the ring's memory beside it, so the
 * thread that sends a ring's bytes can do so from views of its own (see {@link BlockingOutbound}).
 */
final class RingPool {
    private final int ringCapacityBytes;
    private final int capacity;
    private final ArrayBlockingQueue<Lease> free;
    private final AtomicInteger allocated = new AtomicInteger();
    private final ModelCounters counters;

    /**
     * @param ringCapacityBytes each ring's size, a power of two
     * @param capacity          most rings ever allocated
     * @param counters          where the leased-rings gauge goes
     */
    RingPool(final int ringCapacityBytes, final int capacity, final ModelCounters counters) {
        if (capacity < 2) {
            throw new IllegalArgumentException("the ring pool must hold at least 2 rings (one connection), got "
                + capacity + "; raise --pool-size or lower --ring-capacity");
        }
        this.ringCapacityBytes = ringCapacityBytes;
        this.capacity = capacity;
        this.free = new ArrayBlockingQueue<>(capacity);
        this.counters = counters;
    }

    /** @return a ring, empty, or {@code null} when every ring is leased */
    Lease lease() {
        Lease lease = free.poll();
        while (lease == null) {
            final int count = allocated.get();
            if (count >= capacity) {
                return null;
            }
            if (allocated.compareAndSet(count, count + 1)) {
                final ByteBuffer memory = ByteBuffer.allocateDirect(ringCapacityBytes);
                lease = new Lease(new ByteRing(memory, -1), memory);
            } else {
                lease = free.poll(); // another thread allocated or returned one meanwhile
            }
        }
        counters.add(EngineCounter.RINGS_LEASED, 1);
        return lease;
    }

    /**
     * Returns a ring; its content is discarded.
     *
     * @param lease from {@link #lease()}
     */
    void release(final Lease lease) {
        lease.ring.clear();
        counters.add(EngineCounter.RINGS_LEASED, -1);
        free.add(lease);
    }

    /** @return rings allocated so far */
    int allocated() {
        return allocated.get();
    }

    /** @return rings on loan now */
    int leased() {
        return allocated.get() - free.size();
    }

    /** @return the most rings the pool will hold */
    int capacity() {
        return capacity;
    }

    /** A ring and the direct memory it was made over (the ring's index {@code i} is the memory's byte {@code i}). */
    static final class Lease {
        final ByteRing ring;
        final ByteBuffer memory;

        Lease(final ByteRing ring, final ByteBuffer memory) {
            this.ring = ring;
            this.memory = memory;
        }
    }
}
