package dev.ringside.engine.buffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Random;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class ByteRingTest {
    /** A 64-byte ring whose positions start at {@code start}: the next write wraps after {@code 64 - start} bytes. */
    private static ByteRing ringAt(final int start) {
        final ByteRing ring = ByteRing.allocate(64);
        ring.write(new UnsafeBuffer(new byte[start]), 0, start);
        ring.consume(start);
        return ring;
    }

    /** @return {@code length} bytes counting up from 0 */
    private static UnsafeBuffer counting(final int length) {
        final UnsafeBuffer bytes = new UnsafeBuffer(new byte[length]);
        for (int i = 0; i < length; i++) {
            bytes.putByte(i, (byte) i);
        }
        return bytes;
    }
    @Test
    void shouldRejectCapacityThatIsNotPowerOfTwo() {
        assertThrows(IllegalArgumentException.class, () -> ByteRing.allocate(1000));
    }

    @Test
    void shouldWriteAndReadAcrossTheWrapPoint() {
        final ByteRing ring = ByteRing.allocate(64);
        final UnsafeBuffer src = counting(64);
        // Move the positions so the next write straddles the end of memory.
        assertTrue(ring.write(src, 0, 50));
        ring.consume(50);
        assertTrue(ring.write(src, 0, 40));
        assertEquals(40, ring.readableBytes());
        for (int i = 0; i < 40; i++) {
            assertEquals((byte) i, ring.getByte(ring.readPosition() + i));
        }
        final UnsafeBuffer dst = new UnsafeBuffer(new byte[40]);
        ring.copyTo(ring.readPosition(), dst, 0, 40);
        for (int i = 0; i < 40; i++) {
            assertEquals((byte) i, dst.getByte(i));
        }
    }

    @Test
    void shouldRefuseWriteThatDoesNotFitWithoutWritingAnything() {
        final ByteRing ring = ByteRing.allocate(64);
        final UnsafeBuffer src = new UnsafeBuffer(new byte[65]);
        assertFalse(ring.write(src, 0, 65));
        assertTrue(ring.isEmpty());
        assertTrue(ring.write(src, 0, 64));
        assertTrue(ring.isFull());
        assertFalse(ring.writeByte((byte) 1));
    }

    @Test
    void shouldReadBigEndianIntStraddlingTheWrapPoint() {
        final ByteRing ring = ringAt(62);
        assertTrue(ring.writeIntBigEndian(0x01020304));
        assertEquals(0x01020304, ring.getIntBigEndian(ring.readPosition()));
        assertEquals(3, ring.indexOf((byte) 4, ring.readPosition()) - ring.readPosition());
        assertEquals(-1, ring.indexOf((byte) 9, ring.readPosition()));
    }

    @Test
    void shouldFindTheFirstMatchingByteAtEveryOffsetAndAcrossTheWrapPoint() {
        final Random random = new Random(42);
        final ByteRing ring = ByteRing.allocate(64);
        final UnsafeBuffer src = new UnsafeBuffer(new byte[64]);
        for (int trial = 0; trial < 20_000; trial++) {
            ring.consume(ring.readableBytes());
            final int length = random.nextInt(65);
            for (int i = 0; i < length; i++) {
                // Few distinct values, so matches, repeats and near-misses (0x80, 0x00, value +- 1) are common.
                src.putByte(i, (byte) (random.nextInt(5) + (random.nextBoolean() ? 0x7E : -2)));
            }
            ring.write(src, 0, length);
            final byte value = (byte) (random.nextInt(5) + (random.nextBoolean() ? 0x7E : -2));
            final int from = length == 0 ? 0 : random.nextInt(length + 1);
            long expected = -1;
            for (int i = from; i < length; i++) {
                if (src.getByte(i) == value) {
                    expected = ring.readPosition() + i;
                    break;
                }
            }
            assertEquals(expected, ring.indexOf(value, ring.readPosition() + from),
                "trial " + trial + ", read position " + ring.readPosition() + ", length " + length + ", from " + from);
        }
    }

    @Test
    void shouldCopyBetweenRingsWhenBothWrap() {
        final ByteRing a = ByteRing.allocate(64);
        final ByteRing b = ByteRing.allocate(128);
        final UnsafeBuffer src = new UnsafeBuffer(new byte[128]);
        for (int i = 0; i < 128; i++) {
            src.putByte(i, (byte) (i * 7));
        }
        a.write(src, 0, 60);
        a.consume(60);
        a.write(src, 0, 50);
        b.write(src, 0, 100);
        b.consume(100);
        assertTrue(b.write(a, a.readPosition(), 50));
        for (int i = 0; i < 50; i++) {
            assertEquals((byte) (i * 7), b.getByte(b.readPosition() + i));
        }
    }

    @Test
    void shouldScatterReadAndGatherWriteBothSegmentsOverLoopback() throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
             SocketChannel client = SocketChannel.open(server.getLocalAddress());
             SocketChannel accepted = server.accept()) {
            final ByteRing ring = ByteRing.allocate(1024);
            final byte[] payload = new byte[1024];
            new Random(42).nextBytes(payload);
            // Leave the write position near the end so both reads and writes span two segments.
            ring.write(new UnsafeBuffer(new byte[1000]), 0, 1000);
            ring.consume(1000);
            client.write(ByteBuffer.wrap(payload, 0, 600));
            int read = 0;
            while (read < 600) {
                read += ring.readFrom(accepted);
            }
            assertEquals(600, ring.readableBytes());
            int written = 0;
            while (written < 600) {
                written += ring.writeTo(client);
            }
            final ByteBuffer echoed = ByteBuffer.allocate(600);
            while (echoed.hasRemaining()) {
                accepted.read(echoed);
            }
            final byte[] expected = new byte[600];
            System.arraycopy(payload, 0, expected, 0, 600);
            assertArrayEquals(expected, echoed.array());
            assertTrue(ring.isEmpty());
        }
    }

    /**
     * Every capacity edge, exactly: a write that fills the ring to the last byte succeeds and one byte more
     * fails, for each kind of write. Written to kill PIT's surviving boundary mutants of ByteRing
     * ({@code length > writableBytes()} as {@code >=}, {@code isEmpty}/{@code isFull} answering true, the
     * four-byte check of {@code writeIntBigEndian}).
     */
    @Test
    void shouldFillToTheLastByteAndRefuseOneMoreForEveryKindOfWrite() {
        final UnsafeBuffer src = new UnsafeBuffer(new byte[64]);
        final ByteRing ring = ByteRing.allocate(64);
        assertTrue(ring.isEmpty());
        assertFalse(ring.isFull());
        assertEquals(64, ring.writableBytes());
        assertTrue(ring.write(src, 0, 10));
        assertFalse(ring.isEmpty(), "holds 10 bytes");
        assertFalse(ring.isFull(), "holds 10 bytes");
        assertEquals(54, ring.writableBytes());
        assertEquals(10, ring.readableBytes());
        assertTrue(ring.write(src, 0, 54), "exactly the free space");
        assertTrue(ring.isFull());
        assertEquals(0, ring.writableBytes());
        assertFalse(ring.write(src, 0, 1));

        ring.consume(4);
        assertTrue(ring.writeIntBigEndian(7), "exactly four bytes free");
        assertFalse(ring.writeIntBigEndian(7));
        ring.consume(3);
        assertFalse(ring.writeIntBigEndian(7), "three bytes free");
        assertEquals(3, ring.writableBytes());

        final ByteRing source = ByteRing.allocate(64);
        source.write(src, 0, 40);
        final ByteRing target = ByteRing.allocate(32);
        target.write(src, 0, 20);
        target.consume(20);
        assertFalse(target.write(source, source.readPosition(), 33), "one byte more than the ring");
        assertTrue(target.write(source, source.readPosition(), 32), "exactly the ring, wrapping");
        assertTrue(target.isFull());
        assertEquals(40, source.readableBytes(), "the source ring is not consumed");
    }

    /**
     * Word reads at every offset of a ring that has wrapped, straddling or not, against the bytes themselves, and
     * a big-endian int that does not straddle. Catches the whole-word path of {@code getIntBigEndian} answering
     * 0 (it had no test: every int read straddled) and a byte order or fallback mistake in
     * {@code getLongLittleEndian} (the generator's payload check reads with it).
     */
    @Test
    void shouldReadWordsAtEveryOffsetWhetherTheyStraddleTheWrapOrNot() {
        final ByteRing ring = ringAt(40);
        final UnsafeBuffer bytes = new UnsafeBuffer(new byte[64]);
        for (int i = 0; i < 64; i++) {
            bytes.putByte(i, (byte) (i * 37 + 11));
        }
        assertTrue(ring.write(bytes, 0, 64), "a full ring from position 40: it wraps after 24 bytes");
        for (int offset = 0; offset + Long.BYTES <= 64; offset++) {
            final long position = ring.readPosition() + offset;
            long expected = 0;
            for (int b = Long.BYTES - 1; b >= 0; b--) {
                expected = (expected << 8) | (bytes.getByte(offset + b) & 0xFF);
            }
            assertEquals(expected, ring.getLongLittleEndian(position), "long at offset " + offset);
            final int expectedInt = (bytes.getByte(offset) & 0xFF) << 24 | (bytes.getByte(offset + 1) & 0xFF) << 16
                | (bytes.getByte(offset + 2) & 0xFF) << 8 | bytes.getByte(offset + 3) & 0xFF;
            assertEquals(expectedInt, ring.getIntBigEndian(position), "int at offset " + offset);
        }
    }

    /**
     * The contiguous view a datagram is sent from: all readable bytes when they do not wrap, the first segment
     * when they do. Catches a view positioned or limited wrongly, or no view (it had no test in this package).
     */
    @Test
    void shouldViewTheReadableBytesUpToTheWrapPoint() {
        final ByteRing ring = ByteRing.allocate(64);
        final UnsafeBuffer bytes = counting(64);
        ring.write(bytes, 0, 50);
        ring.consume(10);
        final ByteBuffer whole = ring.contiguousReadableView();
        assertEquals(10, whole.position());
        assertEquals(50, whole.limit(), "40 readable bytes in one piece");
        assertEquals(10, whole.get(10));
        ring.write(bytes, 0, 20);
        final ByteBuffer first = ring.contiguousReadableView();
        assertEquals(10, first.position());
        assertEquals(64, first.limit(), "54 of the 60 readable bytes lie before the wrap point");
        ring.consume(54);
        final ByteBuffer afterWrap = ring.contiguousReadableView();
        assertEquals(0, afterWrap.position());
        assertEquals(6, afterWrap.limit());
        assertEquals(14, afterWrap.get(0), "byte 14 of the second write");
    }

    /**
     * Single bytes written across the wrap point land where the ring's positions say. Catches a byte written at
     * the wrong index, a write position that does not move, and a write refused with room left (writeByte had
     * no test of its own: only its refusal when full was checked).
     */
    @Test
    void shouldWriteSingleBytesAcrossTheWrapPoint() {
        final ByteRing ring = ringAt(62);
        for (int i = 0; i < 4; i++) {
            assertTrue(ring.writeByte((byte) (i + 1)), "byte " + i);
        }
        assertEquals(66, ring.writePosition());
        assertEquals(4, ring.readableBytes());
        for (int i = 0; i < 4; i++) {
            assertEquals(i + 1, ring.getByte(62 + i), "byte " + i + " (" + (i < 2 ? "before" : "after") + " the wrap)");
        }
        assertEquals(0x01020304, ring.getIntBigEndian(62));
    }

    /** Catches an empty {@code toString}: a ring appears in error messages (a release into the wrong pool). */
    @Test
    void shouldDescribeItselfByCapacityAndPositions() {
        final ByteRing ring = ByteRing.allocate(64);
        ring.write(new UnsafeBuffer(new byte[10]), 0, 10);
        ring.consume(3);
        assertEquals("ByteRing{capacity=64, read=3, write=10}", ring.toString());
    }
}
