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
}
