package dev.ringside.engine.model;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import dev.ringside.engine.buffer.ByteRing;
import dev.ringside.engine.counter.EngineCounter;

/**
 * A bounded pool of rings shared by the threads of a blocking server, in size classes (powers of two from the
 * smallest to the largest ring) and bounded in bytes, like the selector loop's slab pool: a connection that only
 * needs a small ring (a chat member's partial line) costs a small ring. Rings are allocated on first demand and
 * reused afterwards; {@link #lease(int)} returns {@code null} rather than go past the byte budget. When the budget
 * is spent but rings of another class lie free, one of those is dropped (left to the collector) to make room, so
 * free rings of one size never starve leases of another. Each lease keeps the ring's memory beside it, so the
 * thread that sends a ring's bytes can do so from views of its own (see {@link BlockingOutbound}).
 */
final class RingPool {
    private final int smallestBytes;
    private final int largestBytes;
    private final long capacityBytes;
    private final FreeRings[] free;
    private final AtomicLong allocatedBytes = new AtomicLong();
    private final ModelCounters counters;

    /**
     * @param smallestBytes the smallest ring, a power of two
     * @param largestBytes  the largest ring ({@code --ring-capacity}), a power of two at least the smallest
     * @param capacityBytes most bytes ever allocated at once ({@code --pool-size})
     * @param counters      where the leased-rings and leased-bytes gauges go
     */
    RingPool(final int smallestBytes, final int largestBytes, final long capacityBytes,
        final ModelCounters counters) {
        if (Integer.bitCount(smallestBytes) != 1 || Integer.bitCount(largestBytes) != 1
            || smallestBytes > largestBytes) {
            throw new IllegalArgumentException("ring sizes must be powers of two, smallest " + smallestBytes
                + " <= largest " + largestBytes);
        }
        if (capacityBytes < 2L * largestBytes) {
            throw new IllegalArgumentException("the ring pool must hold at least 2 rings (one connection), got "
                + capacityBytes + " bytes for rings of " + largestBytes
                + "; raise --pool-size or lower --ring-capacity");
        }
        this.smallestBytes = smallestBytes;
        this.largestBytes = largestBytes;
        this.capacityBytes = capacityBytes;
        this.free = new FreeRings[classOf(largestBytes) + 1];
        for (int i = 0; i < free.length; i++) {
            free[i] = new FreeRings();
        }
        this.counters = counters;
    }

    /** @return a ring of the largest size, empty, or {@code null} when the budget is spent */
    Lease lease() {
        return lease(largestBytes);
    }

    /**
     * @param bytes the ring's size: a power of two between the smallest and the largest ring
     * @return a ring of that size, empty, or {@code null} when the budget is spent
     */
    Lease lease(final int bytes) {
        final int sizeClass = classOf(bytes);
        if (sizeClass < 0 || sizeClass >= free.length || bytes != smallestBytes << sizeClass) {
            throw new IllegalArgumentException("no ring class of " + bytes + " bytes");
        }
        Lease lease = free[sizeClass].rings.poll();
        while (lease == null) {
            final long allocated = allocatedBytes.get();
            if (allocated + bytes > capacityBytes) {
                if (!dropFreeRingOtherThan(sizeClass)) {
                    return null;
                }
            } else if (allocatedBytes.compareAndSet(allocated, allocated + bytes)) {
                final ByteBuffer memory = ByteBuffer.allocateDirect(bytes);
                lease = new Lease(new ByteRing(memory, -1), memory);
            } else {
                lease = free[sizeClass].rings.poll(); // another thread allocated or returned one meanwhile
            }
        }
        counters.add(EngineCounter.RINGS_LEASED, 1);
        counters.add(EngineCounter.POOL_BYTES_LEASED, bytes);
        return lease;
    }

    /** Frees the budget of one idle ring of another size; false when there is none. */
    private boolean dropFreeRingOtherThan(final int sizeClass) {
        for (int i = free.length - 1; i >= 0; i--) {
            if (i == sizeClass) {
                continue;
            }
            final Lease idle = free[i].rings.poll();
            if (idle != null) {
                allocatedBytes.addAndGet(-idle.ring.capacity());
                return true;
            }
        }
        return false;
    }

    /**
     * Returns a ring; its content is discarded.
     *
     * @param lease from {@link #lease(int)}
     */
    void release(final Lease lease) {
        lease.ring.clear();
        counters.add(EngineCounter.RINGS_LEASED, -1);
        counters.add(EngineCounter.POOL_BYTES_LEASED, -lease.ring.capacity());
        free[classOf(lease.ring.capacity())].rings.add(lease);
    }

    private int classOf(final int bytes) {
        return Integer.numberOfTrailingZeros(bytes) - Integer.numberOfTrailingZeros(smallestBytes);
    }

    /** @return bytes allocated now (leased or lying free) */
    long allocatedBytes() {
        return allocatedBytes.get();
    }

    /** @return the smallest ring's size */
    int smallestBytes() {
        return smallestBytes;
    }

    /** @return the largest ring's size */
    int largestBytes() {
        return largestBytes;
    }

    /** @return the most bytes the pool will hold */
    long capacityBytes() {
        return capacityBytes;
    }

    /** The idle rings of one size (a class, so an array of them needs no generic array). */
    private static final class FreeRings {
        final ConcurrentLinkedQueue<Lease> rings = new ConcurrentLinkedQueue<>();
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
