package dev.ringside.engine.buffer;

import java.nio.ByteBuffer;

import org.agrona.BitUtil;

/**
 * A bounded pool of equal-sized {@link ByteRing}s carved from direct-memory slabs.
 *
 * <p>Slabs are allocated lazily, one at a time, as demand first reaches them, so a server configured for a
 * large pool costs no memory until it is used; once allocated, a slab is kept and its rings are reused.
 * {@link #lease()} returns {@code null} when every ring is out: the caller applies backpressure instead of
 * allocating more. Leasing and releasing are an array push/pop and allocate nothing.
 *
 * <p>Single-threaded: owned by one event loop.
 */
public final class SlabPool implements AutoCloseable {
    /** Rings per slab: large enough to amortise allocation, small enough not to commit memory early. */
    private static final int MAX_SLAB_BYTES = 4 * 1024 * 1024;

    private final int ringCapacityBytes;
    private final int ringCount;
    private final int ringsPerSlab;
    private final ByteRing[] rings;
    private final int[] freeSlots;
    private final boolean[] leased;
    private int freeCount;
    private int allocatedCount;
    private int leasedCount;
    private int peakLeasedCount;

    /**
     * Creates a pool; no memory is committed until the first lease.
     *
     * @param ringCapacityBytes capacity of each ring, a power of two of at least 64
     * @param ringCount         maximum number of rings
     */
    public SlabPool(final int ringCapacityBytes, final int ringCount) {
        if (!BitUtil.isPowerOfTwo(ringCapacityBytes) || ringCapacityBytes < 64) {
            throw new IllegalArgumentException(
                "ring capacity must be a power of two of at least 64 bytes, got " + ringCapacityBytes);
        }
        if (ringCount < 1) {
            throw new IllegalArgumentException("pool must hold at least one ring, got " + ringCount);
        }
        this.ringCapacityBytes = ringCapacityBytes;
        this.ringCount = ringCount;
        this.ringsPerSlab = Math.max(1, Math.min(ringCount, MAX_SLAB_BYTES / ringCapacityBytes));
        this.rings = new ByteRing[ringCount];
        this.freeSlots = new int[ringCount];
        this.leased = new boolean[ringCount];
    }

    /**
     * Takes an empty ring.
     *
     * @return a ring, or {@code null} when the pool is exhausted
     */
    public ByteRing lease() {
        if (freeCount == 0 && !allocateSlab()) {
            return null;
        }
        final int slot = freeSlots[--freeCount];
        leased[slot] = true;
        leasedCount++;
        if (leasedCount > peakLeasedCount) {
            peakLeasedCount = leasedCount;
        }
        final ByteRing ring = rings[slot];
        ring.clear();
        return ring;
    }

    /**
     * Returns a ring leased from this pool.
     *
     * @param ring the ring; its content is discarded
     */
    public void release(final ByteRing ring) {
        final int slot = ring.slot();
        if (slot < 0 || slot >= allocatedCount || rings[slot] != ring || !leased[slot]) {
            throw new IllegalStateException("ring was not leased from this pool: " + ring);
        }
        leased[slot] = false;
        leasedCount--;
        freeSlots[freeCount++] = slot;
    }

    public int ringCapacityBytes() {
        return ringCapacityBytes;
    }

    public int ringCount() {
        return ringCount;
    }

    /** @return rings that can still be leased (allocated or not yet) */
    public int available() {
        return ringCount - leasedCount;
    }

    public int leasedCount() {
        return leasedCount;
    }

    public int peakLeasedCount() {
        return peakLeasedCount;
    }

    /** @return direct memory committed so far */
    public long allocatedBytes() {
        return (long) allocatedCount * ringCapacityBytes;
    }

    private boolean allocateSlab() {
        if (allocatedCount == ringCount) {
            return false;
        }
        final int count = Math.min(ringsPerSlab, ringCount - allocatedCount);
        final ByteBuffer slab = ByteBuffer.allocateDirect(count * ringCapacityBytes);
        for (int i = 0; i < count; i++) {
            final int slot = allocatedCount + i;
            slab.clear().position(i * ringCapacityBytes).limit((i + 1) * ringCapacityBytes);
            rings[slot] = new ByteRing(slab, slot);
            freeSlots[freeCount++] = slot;
        }
        allocatedCount += count;
        return true;
    }

    /** Forgets all slabs; direct memory is reclaimed with them by the garbage collector. */
    @Override
    public void close() {
        freeCount = 0;
    }
}
