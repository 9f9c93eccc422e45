package dev.ringside.engine.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class SlabPoolTest {
    @Test
    void shouldCommitNoMemoryUntilFirstLease() {
        final SlabPool pool = new SlabPool(4096, 10_000);
        assertEquals(0, pool.allocatedBytes());
        assertNotNull(pool.lease());
        assertTrue(pool.allocatedBytes() > 0 && pool.allocatedBytes() <= 4L * 1024 * 1024);
    }

    @Test
    void shouldReturnNullWhenExhaustedAndReuseReleasedRings() {
        final SlabPool pool = new SlabPool(1024, 3);
        final List<ByteRing> rings = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            rings.add(pool.lease());
        }
        assertNull(pool.lease());
        assertEquals(0, pool.available());
        pool.release(rings.get(1));
        final ByteRing again = pool.lease();
        assertEquals(rings.get(1), again);
        assertTrue(again.isEmpty());
        assertEquals(3, pool.peakLeasedCount());
    }

    @Test
    void shouldRejectDoubleReleaseAndForeignRings() {
        final SlabPool pool = new SlabPool(1024, 2);
        final ByteRing ring = pool.lease();
        pool.release(ring);
        assertThrows(IllegalStateException.class, () -> pool.release(ring));
        assertThrows(IllegalStateException.class, () -> pool.release(ByteRing.allocate(1024)));
    }

    /** Catches: a block whose rings all came back never becoming free for another class (the pool leaks). */
    @Test
    void shouldLeaseSmallestClassAndFreeBlocksForAnyClass() {
        final SlabPool pool = new SlabPool(1024, 4096, 2);
        final List<ByteRing> small = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            final ByteRing ring = pool.lease(1);
            assertEquals(1024, ring.capacity());
            small.add(ring);
        }
        assertEquals(5 * 1024, pool.leasedBytes());
        assertNull(pool.lease(4096), "both blocks are carved");
        assertNull(pool.lease(1500));
        for (final ByteRing ring : small) {
            pool.release(ring);
        }
        final ByteRing big = pool.lease(4096);
        assertNotNull(big, "a block whose rings all came back serves any class");
        assertEquals(4096, big.capacity());
        assertEquals(2048, pool.lease(1500).capacity(), "the smallest class that holds the request");
        assertEquals(2048, pool.lease(2048).capacity());
        assertEquals(4096 + 2 * 2048, pool.leasedBytes());
        assertNull(pool.lease(1));
        assertEquals(2 * 4096, pool.allocatedBytes(), "never more than the bound");
    }

    /**
     * An empty block stays carved as its class's spare (so one-ring-per-message traffic does not re-carve a block
     * each time), yet it is still free for any class. Catches a spare that is never taken back (the pool loses a
     * block per class) and a spare that is not counted as free (a needless stall or shed).
     */
    @Test
    void shouldKeepAnEmptyBlockAsASpareThatAnyClassCanTakeBack() {
        final SlabPool pool = new SlabPool(1024, 4096, 1);
        for (int round = 0; round < 3; round++) {
            final ByteRing small = pool.lease(1);
            assertEquals(1024, small.capacity());
            pool.release(small);
            assertEquals(1, pool.freeBlocks(), "a spare block counts as free");
            assertTrue(pool.canLease(4096));
            final ByteRing big = pool.lease(4096);
            assertNotNull(big, "the small class's spare is taken back for the large class");
            assertNull(pool.lease(1));
            pool.release(big);
        }
        assertEquals(4096, pool.allocatedBytes());
    }

    @Test
    void shouldRejectSizeClassesThatSplitABlockTooFinely() {
        assertThrows(IllegalArgumentException.class, () -> new SlabPool(64, 64 * 1024, 4));
    }

    /**
     * The validation's boundaries, each one byte or one ring from the edge (written against PIT's surviving
     * mutants): the smallest ring (64 bytes) and the finest split (16 rings per block) are valid, one step
     * beyond is not, and the message names the range that would be valid.
     */
    @Test
    void shouldAcceptEveryLimitOfTheConfigurationAndRejectOneStepBeyond() {
        final SlabPool tiny = new SlabPool(64, 64, 1);
        assertEquals(64, tiny.lease(1).capacity(), "64-byte rings are the smallest allowed");
        final SlabPool finest = new SlabPool(64, 1024, 1);
        for (int i = 0; i < 16; i++) {
            assertEquals(64, finest.lease(1).capacity(), "ring " + i + " of the 16 a block splits into");
        }
        assertNull(finest.lease(1), "one block holds 16 of them, no more");
        final SlabPool oneSize = new SlabPool(1024, 1024, 1);
        assertEquals(1024, oneSize.lease(1).capacity(), "smallest class equal to the largest");

        assertThrows(IllegalArgumentException.class, () -> new SlabPool(32, 32, 1));
        assertThrows(IllegalArgumentException.class, () -> new SlabPool(32, 512, 1));
        assertThrows(IllegalArgumentException.class, () -> new SlabPool(2048, 1024, 1));
        assertThrows(IllegalArgumentException.class, () -> new SlabPool(1000, 1024, 1));
        assertThrows(IllegalArgumentException.class, () -> new SlabPool(1024, 1000, 1));
        assertThrows(IllegalArgumentException.class, () -> new SlabPool(1024, 1024, 0));
        final IllegalArgumentException tooFine = assertThrows(IllegalArgumentException.class,
            () -> new SlabPool(64, 64 * 1024, 4));
        assertEquals("smallest ring must be a power of two from 4096 to 65536 bytes, got 64", tooFine.getMessage());
    }

    /**
     * Memory is committed a 4 MiB slab at a time, the last slab only as large as the bound leaves, and every
     * ring has memory of its own. Catches a slab size computed wrongly (one block per slab, or everything at
     * once), a last slab that overruns the bound, and blocks of one slab that overlap.
     */
    @Test
    void shouldCommitWholeSlabsUpToTheBoundAndGiveEveryRingItsOwnMemory() {
        final SlabPool pool = new SlabPool(4096, 1500);
        assertEquals(1500L * 4096, pool.capacityBytes());
        final List<ByteRing> rings = new ArrayList<>();
        rings.add(pool.lease());
        assertEquals(4L * 1024 * 1024, pool.allocatedBytes(), "one slab of 1024 rings");
        while (rings.size() < 1500) {
            final ByteRing ring = pool.lease();
            assertNotNull(ring, "ring " + rings.size());
            rings.add(ring);
            if (rings.size() == 1025) {
                assertEquals(1500L * 4096, pool.allocatedBytes(), "the second slab holds the 476 rings left");
            }
        }
        assertNull(pool.lease());
        assertEquals(1500, pool.leasedCount());

        final SlabPool small = new SlabPool(64, 4);
        final ByteRing[] four = {small.lease(), small.lease(), small.lease(), small.lease()};
        final UnsafeBuffer fill = new UnsafeBuffer(new byte[64]);
        for (int r = 0; r < four.length; r++) {
            fill.setMemory(0, 64, (byte) (r + 1));
            assertTrue(four[r].write(fill, 0, 64));
        }
        for (int r = 0; r < four.length; r++) {
            for (int i = 0; i < 64; i++) {
                assertEquals(r + 1, four[r].getByte(four[r].readPosition() + i), "ring " + r + " byte " + i);
            }
        }
    }

    /**
     * The counts a loop reports and sheds by. Catches: a lease that may dip into the reserve it was told to
     * leave ({@code <=} as {@code <}); a spare taken back into use but still counted as free (so a pool that
     * is full looks as if it had room); {@code canLease} saying yes with no room; a ring leased with the bytes
     * its last holder left in it; {@code available} and {@code leasedCount} answering 0.
     */
    @Test
    void shouldKeepTheReserveAndCountSparesAndFreeBlocksExactly() {
        final SlabPool pool = new SlabPool(1024, 4096, 2);
        assertEquals(2, pool.available());
        final ByteRing first = pool.lease(4096, 1);
        assertNotNull(first, "two free blocks, one kept in reserve: one may be carved");
        assertEquals(1, pool.leasedCount());
        assertNull(pool.lease(4096, 1), "the last free block is the reserve");
        assertNull(pool.lease(1, 1), "no class may carve into it");
        assertTrue(pool.canLease(1), "a lease that may use the reserve can");
        final ByteRing second = pool.lease(4096, 0);
        assertNotNull(second, "with no reserve asked for, the last block goes too");
        assertFalse(pool.canLease(1), "no ring of the class is free and no block is left");
        assertFalse(pool.canLease(4096));
        assertEquals(0, pool.available());

        first.write(new UnsafeBuffer(new byte[100]), 0, 100);
        pool.release(first);
        assertEquals(1, pool.freeBlocks(), "its block is the large class's spare, which counts as free");
        final ByteRing again = pool.lease(4096);
        assertTrue(again.isEmpty(), "a leased ring holds nothing of its last holder");
        assertEquals(0, pool.freeBlocks(), "the spare is in use again: nothing is free");
        assertEquals(0, pool.available());
        assertFalse(pool.canLease(4096));
        pool.release(again);
        pool.release(second);
        assertEquals(2, pool.freeBlocks());
        assertEquals(0, pool.leasedCount());

        final ByteRing small = pool.lease(1);
        assertTrue(pool.canLease(1), "three more rings of the class in the carved block");
        pool.release(small);
    }

    /**
     * A block freed while a block of another class sits on its list as a spare: both lists stay intact. Catches
     * {@code freeBlock} unlinking one slot past the block's rings ({@code i <= perBlock}): that slot was never
     * linked, its zeroed links rewrite slot 0's, and the large class's head then stays on a leased ring, so
     * the same ring is leased twice.
     */
    @Test
    void shouldNeverLeaseOneRingTwiceWhenBlocksChangeClass() {
        final SlabPool pool = new SlabPool(1024, 4096, 3);
        final ByteRing large = pool.lease(4096);
        final List<ByteRing> small = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            small.add(pool.lease(1)); // four fill a block, the fifth carves another
        }
        pool.release(large); // the large class's spare
        pool.release(small.remove(4)); // the small class's spare
        for (final ByteRing ring : small) {
            pool.release(ring); // a second empty small block: freed for any class
        }
        final ByteRing first = pool.lease(4096);
        final ByteRing second = pool.lease(4096);
        assertNotNull(first);
        assertNotNull(second);
        assertNotSame(first, second, "one ring leased twice");
        assertEquals(2, pool.leasedCount());
    }

    /**
     * A released ring goes back on its class's list: with no block left to carve, the next lease of the class
     * is that ring. And a carved block's free rings serve their class without carving, so the reserve (free
     * blocks left untouched) does not stand in their way: an empty block kept as its class's spare still serves
     * the class. Catches a release that does not relink the ring, and a first empty block freed instead of kept
     * as the spare. Also the pool's shape as reported.
     */
    @Test
    void shouldServeAClassFromItsOwnBlocksBeforeCarvingAndReportItsShape() {
        final SlabPool pool = new SlabPool(1024, 4096, 2);
        assertEquals(4096, pool.ringCapacityBytes());
        assertEquals(1024, pool.minRingBytes());
        assertEquals(2, pool.ringCount());
        final List<ByteRing> small = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            small.add(pool.lease(1));
        }
        final ByteRing large = pool.lease(4096);
        assertEquals(0, pool.freeBlocks());
        pool.release(small.get(2));
        assertSame(small.get(2), pool.lease(1), "the released ring is the only one the class can have");
        assertEquals(4 * 1024 + 4096, pool.peakLeasedBytes());

        for (final ByteRing ring : small) {
            pool.release(ring);
        }
        assertEquals(1, pool.freeBlocks(), "the small block is empty: its class's spare");
        assertNotNull(pool.lease(1, 1), "the spare serves its own class although it is the reserve's one block");
        assertNull(pool.lease(4096, 1), "but no other class may carve it under that reserve");
        pool.release(large);
        assertEquals(4 * 1024 + 4096, pool.peakLeasedBytes(), "the peak stays");
    }

    /** Catches a close that leaves free rings on their lists: a lease after close would still succeed. */
    @Test
    void shouldLeaseNothingAfterClose() {
        final SlabPool pool = new SlabPool(1024, 4096, 2);
        pool.release(pool.lease(1));
        pool.release(pool.lease(4096));
        pool.close();
        assertNull(pool.lease(1));
        assertNull(pool.lease(4096));
        assertFalse(pool.canLease(1));
    }
}
