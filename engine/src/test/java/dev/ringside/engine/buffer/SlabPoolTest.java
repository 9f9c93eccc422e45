package dev.ringside.engine.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

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
}
