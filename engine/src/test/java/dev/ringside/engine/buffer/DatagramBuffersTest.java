package dev.ringside.engine.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link DatagramBuffers}: the size limits at both edges and one step beyond, and views that share their buffers'
 * memory (a handler writes its reply through the view into the buffer the endpoint sends). Written against the
 * mutants of the PIT run in perf/RESULTS.md (issue 16, fourth session): the bounds at the wrong edge, the getters
 * returning null.
 */
class DatagramBuffersTest {
    @Test
    void shouldAcceptOneTo64KiBAndNothingElse() {
        assertThrows(IllegalArgumentException.class, () -> new DatagramBuffers(0));
        final IllegalArgumentException over = assertThrows(IllegalArgumentException.class,
            () -> new DatagramBuffers(DatagramBuffers.RECEIVE_BYTES + 1));
        assertTrue(over.getMessage().contains("got 65537"), over.getMessage());
        assertEquals(1, new DatagramBuffers(1).send().capacity());
        final DatagramBuffers largest = new DatagramBuffers(DatagramBuffers.RECEIVE_BYTES);
        assertEquals(65_536, largest.send().capacity());
        assertEquals(65_536, largest.receive().capacity());
    }

    @Test
    void shouldViewTheSameMemoryAsTheBuffers() {
        final DatagramBuffers buffers = new DatagramBuffers(1500);
        assertTrue(buffers.receive().isDirect());
        assertTrue(buffers.send().isDirect());
        buffers.receiveView().putByte(100, (byte) 42);
        assertEquals(42, buffers.receive().get(100));
        buffers.sendView().putByte(1499, (byte) 7);
        assertEquals(7, buffers.send().get(1499));
        assertEquals(1500, buffers.sendView().capacity());
        assertEquals(DatagramBuffers.RECEIVE_BYTES, buffers.receiveView().capacity());
    }
}
