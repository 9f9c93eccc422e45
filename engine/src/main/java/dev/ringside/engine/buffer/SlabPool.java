package dev.ringside.engine.buffer;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.agrona.BitUtil;

/**
 * A bounded pool of {@link ByteRing}s in size classes, carved from direct-memory slabs.
 *
 * <p>The pool is {@code blockCount} blocks of {@code maxRingBytes} each. A block is either free or carved into
 * rings of one size class: {@code minRingBytes}, twice that, and so on up to {@code maxRingBytes} (at most
 * {@value #MAX_RINGS_PER_BLOCK} rings per block). A connection leases the smallest ring that holds what it must
 * keep and trades it for a bigger one only while a frame or its output needs it, so memory follows the bytes
 * held, not the largest frame allowed. When the last ring of a block comes back, the block is free again and
 * can be carved for any class: the pool never holds more than {@code blockCount × maxRingBytes}.
 *
 * <p>Slabs are allocated lazily, as demand first reaches them, so a large pool costs no memory until used.
 * The {@code ByteRing} views of a block, for every class, are made when its slab is committed, so leasing and
 * releasing allocate nothing once the pool's peak is committed. The free
 * rings of each class form an intrusive doubly-linked list over int arrays, so a freed block's rings leave
 * their list in O(rings per block).
 *
 * <p>One empty block per class stays carved as a spare: a connection that leases a ring for each message and
 * returns it at once (an echo at one request in flight) would otherwise free the block and carve it again,
 * sixteen list operations each way, on every message. A spare counts as free ({@link #freeBlocks()}) and is
 * taken back for another class when no other block is left.
 *
 * <p>{@link #lease(int)} returns {@code null} when no ring of the class can be had: the caller applies
 * backpressure instead of allocating more. Single-threaded: owned by one event loop.
 */
public final class SlabPool implements AutoCloseable {
    /** Most rings one block is split into: bounds the number of views a block can need (31 over all classes). */
    public static final int MAX_RINGS_PER_BLOCK = 16;
    /** Smallest ring a connection starts with, unless the largest class is more than 16 times bigger. */
    public static final int DEFAULT_MIN_RING_BYTES = 4096;
    /** Slab size: large enough to amortise allocation, small enough not to commit memory early. */
    private static final int MAX_SLAB_BYTES = 4 * 1024 * 1024;
    /** Slots per block in the ring tables: every class's rings of one block fit in 32. */
    private static final int SLOT_SHIFT = 5;
    private static final int NONE = -1;

    private final int minRingBytes;
    private final int maxRingBytes;
    private final int classCount;
    private final int blockCount;
    private final int blocksPerSlab;
    private final ByteBuffer[] blockMemory;
    private final int[] blockClass;
    private final int[] blockLeased;
    private final int[] freeBlocks;
    private int freeBlockCount;
    private int committedBlocks;
    /** Ring views by slot: block {@code << 5} plus (rings per block of the class − 1) plus the ring's index. */
    private final ByteRing[] rings;
    private final boolean[] leased;
    private final int[] next;
    private final int[] prev;
    private final int[] classHead;
    /** Per class, an empty block kept carved (see the class comment), or {@code NONE}. */
    private final int[] spareBlock;
    private int spareCount;
    private int leasedCount;
    private int peakLeasedCount;
    private long leasedBytes;
    private long peakLeasedBytes;

    /**
     * Creates a pool of rings of one size (the smallest class is the largest); no memory is committed yet.
     *
     * @param ringCapacityBytes capacity of each ring, a power of two of at least 64
     * @param ringCount         maximum number of rings
     */
    public SlabPool(final int ringCapacityBytes, final int ringCount) {
        this(ringCapacityBytes, ringCapacityBytes, ringCount);
    }

    /**
     * Creates a size-classed pool; no memory is committed until the first lease.
     *
     * @param minRingBytes smallest class, a power of two of at least 64, at least {@code maxRingBytes / 16}
     * @param maxRingBytes largest class and block size, a power of two
     * @param blockCount   blocks of {@code maxRingBytes}: the pool's bound
     */
    public SlabPool(final int minRingBytes, final int maxRingBytes, final int blockCount) {
        if (!BitUtil.isPowerOfTwo(maxRingBytes) || maxRingBytes < 64) {
            throw new IllegalArgumentException(
                "ring capacity must be a power of two of at least 64 bytes, got " + maxRingBytes);
        }
        if (!BitUtil.isPowerOfTwo(minRingBytes) || minRingBytes < 64 || minRingBytes > maxRingBytes
            || maxRingBytes / minRingBytes > MAX_RINGS_PER_BLOCK) {
            throw new IllegalArgumentException("smallest ring must be a power of two from " + maxRingBytes
                / MAX_RINGS_PER_BLOCK + " to " + maxRingBytes + " bytes, got " + minRingBytes);
        }
        if (blockCount < 1) {
            throw new IllegalArgumentException("pool must hold at least one ring, got " + blockCount);
        }
        this.minRingBytes = minRingBytes;
        this.maxRingBytes = maxRingBytes;
        this.classCount = Integer.numberOfTrailingZeros(maxRingBytes / minRingBytes) + 1;
        this.blockCount = blockCount;
        this.blocksPerSlab = Math.max(1, Math.min(blockCount, MAX_SLAB_BYTES / maxRingBytes));
        this.blockMemory = new ByteBuffer[blockCount];
        this.blockClass = new int[blockCount];
        this.blockLeased = new int[blockCount];
        this.freeBlocks = new int[blockCount];
        final int slots = blockCount << SLOT_SHIFT;
        this.rings = new ByteRing[slots];
        this.leased = new boolean[slots];
        this.next = new int[slots];
        this.prev = new int[slots];
        this.classHead = new int[classCount];
        Arrays.fill(classHead, NONE);
        this.spareBlock = new int[classCount];
        Arrays.fill(spareBlock, NONE);
    }

    /**
     * Takes an empty ring of the largest class.
     *
     * @return a ring, or {@code null} when the pool cannot supply one
     */
    public ByteRing lease() {
        return lease(maxRingBytes);
    }

    /**
     * Takes an empty ring of the smallest class that holds {@code bytes} (the largest class when more).
     *
     * @param bytes what the ring must hold
     * @return a ring, or {@code null} when the pool cannot supply one
     */
    public ByteRing lease(final int bytes) {
        return lease(bytes, 0);
    }

    /**
     * As {@link #lease(int)}, but without carving into the last {@code reserveBlocks} free blocks: what a
     * connection that already holds memory may take, so that connections holding nothing can still start.
     *
     * @param bytes         what the ring must hold
     * @param reserveBlocks free blocks to leave untouched
     * @return a ring, or {@code null} when none can be had above the reserve
     */
    public ByteRing lease(final int bytes, final int reserveBlocks) {
        final int sizeClass = classFor(bytes);
        if (classHead[sizeClass] == NONE && (freeBlocks() <= reserveBlocks || !carveBlock(sizeClass))) {
            return null;
        }
        final int slot = classHead[sizeClass];
        unlink(sizeClass, slot);
        leased[slot] = true;
        final int block = slot >>> SLOT_SHIFT;
        if (blockLeased[block]++ == 0 && spareBlock[sizeClass] == block) {
            spareBlock[sizeClass] = NONE; // the spare is in use again
            spareCount--;
        }
        leasedCount++;
        peakLeasedCount = Math.max(peakLeasedCount, leasedCount);
        final ByteRing ring = rings[slot];
        leasedBytes += ring.capacity();
        peakLeasedBytes = Math.max(peakLeasedBytes, leasedBytes);
        ring.clear();
        return ring;
    }

    /**
     * Returns a ring leased from this pool; a block whose rings are all back becomes free for any class.
     *
     * @param ring the ring; its content is discarded
     */
    public void release(final ByteRing ring) {
        final int slot = ring.slot();
        if (slot < 0 || slot >= rings.length || rings[slot] != ring || !leased[slot]) {
            throw new IllegalStateException("ring was not leased from this pool: " + ring);
        }
        leased[slot] = false;
        leasedCount--;
        leasedBytes -= ring.capacity();
        final int block = slot >>> SLOT_SHIFT;
        final int sizeClass = blockClass[block];
        link(sizeClass, slot);
        if (--blockLeased[block] == 0) {
            if (spareBlock[sizeClass] == NONE) {
                spareBlock[sizeClass] = block; // keep it carved: the next lease of this class is likely soon
                spareCount++;
            } else {
                freeBlock(block, sizeClass);
            }
        }
    }

    /** Takes an empty block's rings off their class's list and makes the block free for any class. */
    private void freeBlock(final int block, final int sizeClass) {
        final int perBlock = maxRingBytes / classBytes(sizeClass);
        final int first = (block << SLOT_SHIFT) + perBlock - 1;
        for (int i = 0; i < perBlock; i++) {
            unlink(sizeClass, first + i);
        }
        blockClass[block] = NONE;
        freeBlocks[freeBlockCount++] = block;
    }

    /** Frees one spare block of any class; false when there is none. */
    private boolean reclaimSpare() {
        for (int sizeClass = 0; sizeClass < classCount; sizeClass++) {
            final int block = spareBlock[sizeClass];
            if (block != NONE) {
                spareBlock[sizeClass] = NONE;
                spareCount--;
                freeBlock(block, sizeClass);
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a lease of {@code bytes} would succeed now.
     *
     * @param bytes what the ring must hold
     * @return true when a ring of that class is free or a block can be carved
     */
    public boolean canLease(final int bytes) {
        return classHead[classFor(bytes)] != NONE || freeBlocks() > 0;
    }

    /** @return whole blocks that are free, spare or not yet committed: what any class can still get */
    public int freeBlocks() {
        return freeBlockCount + spareCount + blockCount - committedBlocks;
    }

    /** @return the largest ring, and the block size */
    public int ringCapacityBytes() {
        return maxRingBytes;
    }

    /** @return the smallest ring a lease can return */
    public int minRingBytes() {
        return minRingBytes;
    }

    /** @return blocks of {@link #ringCapacityBytes()}: the pool's bound */
    public int ringCount() {
        return blockCount;
    }

    /** @return the pool's bound in bytes */
    public long capacityBytes() {
        return (long) blockCount * maxRingBytes;
    }

    /** @return rings of the largest class that could still be leased, counting whole free blocks only */
    public int available() {
        return freeBlocks();
    }

    public int leasedCount() {
        return leasedCount;
    }

    public int peakLeasedCount() {
        return peakLeasedCount;
    }

    /** @return bytes of ring capacity leased now */
    public long leasedBytes() {
        return leasedBytes;
    }

    /** @return the most bytes of ring capacity leased at once */
    public long peakLeasedBytes() {
        return peakLeasedBytes;
    }

    /** @return direct memory committed so far */
    public long allocatedBytes() {
        return (long) committedBlocks * maxRingBytes;
    }

    private int classFor(final int bytes) {
        if (bytes <= minRingBytes) {
            return 0;
        }
        if (bytes >= maxRingBytes) {
            return classCount - 1;
        }
        return Integer.numberOfTrailingZeros(BitUtil.findNextPositivePowerOfTwo(bytes) / minRingBytes);
    }

    private int classBytes(final int sizeClass) {
        return minRingBytes << sizeClass;
    }

    private boolean carveBlock(final int sizeClass) {
        // A spare goes before new memory is committed: the pool commits only what the bytes held need.
        if (freeBlockCount == 0 && !reclaimSpare() && !commitSlab()) {
            return false;
        }
        final int block = freeBlocks[--freeBlockCount];
        blockClass[block] = sizeClass;
        final int size = classBytes(sizeClass);
        final int perBlock = maxRingBytes / size;
        final int first = (block << SLOT_SHIFT) + perBlock - 1;
        for (int i = perBlock - 1; i >= 0; i--) {
            link(sizeClass, first + i);
        }
        return true;
    }

    private boolean commitSlab() {
        if (committedBlocks == blockCount) {
            return false;
        }
        final int count = Math.min(blocksPerSlab, blockCount - committedBlocks);
        final ByteBuffer slab = ByteBuffer.allocateDirect(count * maxRingBytes);
        for (int i = count - 1; i >= 0; i--) {
            final int block = committedBlocks + i;
            slab.clear().position(i * maxRingBytes).limit((i + 1) * maxRingBytes);
            blockMemory[block] = slab.slice();
            blockClass[block] = NONE;
            makeViews(block);
            freeBlocks[freeBlockCount++] = block;
        }
        committedBlocks += count;
        return true;
    }

    /**
     * Makes a block's ring views for every class when its slab is committed, so that carving a block for a class
     * it never served before allocates nothing: the pool allocates only while it commits memory.
     */
    private void makeViews(final int block) {
        for (int sizeClass = 0; sizeClass < classCount; sizeClass++) {
            final int size = classBytes(sizeClass);
            final int perBlock = maxRingBytes / size;
            final int first = (block << SLOT_SHIFT) + perBlock - 1;
            for (int i = 0; i < perBlock; i++) {
                final ByteBuffer memory = blockMemory[block].duplicate();
                memory.clear().position(i * size).limit((i + 1) * size);
                rings[first + i] = new ByteRing(memory, first + i);
            }
        }
    }

    private void link(final int sizeClass, final int slot) {
        final int head = classHead[sizeClass];
        next[slot] = head;
        prev[slot] = NONE;
        if (head != NONE) {
            prev[head] = slot;
        }
        classHead[sizeClass] = slot;
    }

    private void unlink(final int sizeClass, final int slot) {
        final int before = prev[slot];
        final int after = next[slot];
        if (before == NONE) {
            classHead[sizeClass] = after;
        } else {
            next[before] = after;
        }
        if (after != NONE) {
            prev[after] = before;
        }
    }

    /** Forgets all slabs; direct memory is reclaimed with them by the garbage collector. */
    @Override
    public void close() {
        freeBlockCount = 0;
        committedBlocks = blockCount;
        Arrays.fill(classHead, NONE);
        Arrays.fill(spareBlock, NONE);
        spareCount = 0;
    }
}
