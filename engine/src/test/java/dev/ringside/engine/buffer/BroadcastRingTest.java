package dev.ringside.engine.buffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link BroadcastRing} and {@link BroadcastReader} on their own (the chat tests use them through a room): the
 * record layout at the end of the ring, addressing, what one gathering write may take, a reader that ends at the
 * head, partial sends resumed mid-record over a real loopback socket. Written against the mutants of the PIT run
 * in perf/RESULTS.md (issue 16, fourth session); each test names what it pins.
 */
@Timeout(60)
class BroadcastRingTest {
    /** Kills the constructor's checks negated or at the wrong edge, and the getters replaced. */
    @Test
    void shouldTakeOnlyPowersOfTwoOfAtLeast64Bytes() {
        assertThrows(IllegalArgumentException.class, () -> new BroadcastRing(32));
        assertThrows(IllegalArgumentException.class, () -> new BroadcastRing(96));
        final IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
            () -> new BroadcastRing(63));
        assertTrue(small.getMessage().endsWith("got 63"), small.getMessage());
        final BroadcastRing ring = new BroadcastRing(64);
        assertEquals(64, ring.capacity());
        assertEquals(8, ring.maxPayloadBytes(), "a quarter of the ring less the header");
        assertEquals(248, new BroadcastRing(1024).maxPayloadBytes());
        assertEquals(0, ring.head());
        assertEquals(-7, BroadcastRing.allBut(7));
    }

    /**
     * Record sizes, the padding record at the end of the ring and the edge where a record just fits. Kills
     * {@code spaceNeeded}'s and {@code claim}'s comparisons at the wrong edge, the padding not written or its
     * head step wrong, {@code publish}'s head step, and {@code copyTo}'s {@code p < limit} as {@code <=} (it survived
     * the first run: it then reads the stale bytes at the head's index once the ring has wrapped).
     */
    @Test
    void shouldAlignRecordsAndPadOnlyARecordThatWouldCrossTheEnd() throws IOException {
        final BroadcastRing ring = new BroadcastRing(64);
        final BroadcastReader reader = ring.newReader();
        assertEquals(8, ring.spaceNeeded(0));
        assertEquals(16, ring.spaceNeeded(1));
        assertEquals(16, ring.spaceNeeded(8));
        assertEquals(24, ring.spaceNeeded(9));
        append(ring, BroadcastRing.TO_ALL, "abcdefgh"); // 16 bytes: head 16
        append(ring, BroadcastRing.TO_ALL, "ijklmnop"); // head 32
        append(ring, BroadcastRing.TO_ALL, "qrstuvwx"); // head 48: 16 bytes to the end
        assertEquals(48, ring.head());
        assertEquals(16, ring.spaceNeeded(8), "a record of exactly the bytes left fits without padding");
        assertEquals(16 + 24, ring.spaceNeeded(9), "one byte more needs the padding first");
        assertEquals("abcdefghijklmnopqrstuvwx", drain(reader, 1024));
        append(ring, BroadcastRing.TO_ALL, "12345678");
        assertEquals(64, ring.head(), "no padding: the record ends at the end of the ring");
        assertEquals(16, ring.spaceNeeded(1), "back at index 0");
        append(ring, BroadcastRing.TO_ALL, "");
        append(ring, BroadcastRing.TO_ALL, "9");
        assertEquals(88, ring.head()); // 72 + 16: index 24, 40 bytes to the end
        assertEquals("123456789", drain(reader, 1024), "an empty record adds nothing");
        append(ring, BroadcastRing.TO_ALL, "ABCDEFGH"); // index 24, head 104: 24 left
        assertEquals(16, ring.spaceNeeded(8));
        assertEquals(24, ring.spaceNeeded(16), "a record of exactly the 24 bytes left fits");
        append(ring, BroadcastRing.TO_ALL, "IJKLMNO"); // index 40: 16 bytes, head 120, 8 left
        assertEquals(8 + 16, ring.spaceNeeded(1));
        append(ring, BroadcastRing.TO_ALL, "P"); // padding of 8 (length 0), then the record at index 0
        assertEquals(128 + 16, ring.head());
        // Sent with a gathering write, which must stop at the head: the memory there holds the stale "9" record.
        final Pipe pipe = Pipe.open();
        try (Pipe.SinkChannel sink = pipe.sink(); Pipe.SourceChannel source = pipe.source()) {
            assertEquals(16, reader.writeTo(sink));
            assertEquals("ABCDEFGHIJKLMNOP", new String(read(source, 16)), "the padding is skipped, not read");
        }
        assertEquals(ring.head(), reader.position());
        assertEquals(0, reader.lag());
        assertEquals("", drain(reader, 1024), "nothing at or past the head is read, stale bytes there neither");
        assertThrows(IllegalArgumentException.class, () -> append(ring, BroadcastRing.TO_ALL, "123456789"));
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);
        assertThrows(IllegalArgumentException.class, () -> ring.append(BroadcastRing.TO_ALL, payload, 0, -1));
    }

    /**
     * Once the ring has wrapped, the memory at the head's index holds an old record with a valid header; a gathering
     * write must stop at the head. Kills {@code writeTo}'s {@code p < limit} as {@code <=} (it survived the first run:
     * in the 64-byte ring above the quarter-ring limit stops the write first).
     */
    @Test
    void shouldNeverSendTheStaleRecordAtTheHeadOfAWrappedRing() throws IOException {
        final BroadcastRing ring = new BroadcastRing(256);
        final BroadcastReader reader = ring.newReader();
        for (int i = 0; i < 16; i++) {
            append(ring, BroadcastRing.TO_ALL, "record" + (char) ('a' + i) + "!");
            if (i % 8 == 7) {
                assertEquals(64, drain(reader, 1024).length());
            }
        }
        assertEquals(256, ring.head());
        append(ring, BroadcastRing.TO_ALL, "Z"); // over the first old record; the second starts at the head's index
        final Pipe pipe = Pipe.open();
        try (Pipe.SinkChannel sink = pipe.sink(); Pipe.SourceChannel source = pipe.source()) {
            assertEquals(1, reader.writeTo(sink));
            assertEquals("Z", new String(read(source, 1)));
        }
        assertFalse(reader.hasPending());
    }

    /**
     * Who reads what: everyone, one reader, everyone but one; padding nobody. Readers get distinct ids and start at
     * the head. Kills each clause of {@code reads} negated or dropped, the id step, and a new reader not starting at
     * the head.
     */
    @Test
    void shouldDeliverEachRecordToTheReadersItIsAddressedTo() {
        final BroadcastRing ring = new BroadcastRing(1024);
        append(ring, BroadcastRing.TO_ALL, "before");
        final BroadcastReader a = ring.newReader();
        final BroadcastReader b = ring.newReader();
        final BroadcastReader c = ring.newReader();
        assertEquals(1, a.id());
        assertEquals(2, b.id());
        assertEquals(3, c.id());
        assertEquals(ring, a.ring());
        assertEquals(ring.head(), a.position());
        assertFalse(a.hasPending(), "a reader starts at the head");
        assertTrue(a.reads(BroadcastRing.TO_ALL));
        assertTrue(a.reads(1));
        assertFalse(a.reads(2));
        assertFalse(a.reads(BroadcastRing.allBut(1)));
        assertTrue(a.reads(BroadcastRing.allBut(2)));
        assertFalse(a.reads(BroadcastRing.PADDING));
        append(ring, BroadcastRing.TO_ALL, "all;");
        append(ring, 2, "to-b;");
        append(ring, BroadcastRing.allBut(3), "not-c;");
        append(ring, 3, "to-c;");
        assertEquals("all;not-c;", drain(a, 1024));
        assertEquals("all;to-b;not-c;", drain(b, 1024));
        assertEquals("all;to-c;", drain(c, 1024));
    }

    /**
     * A reader passes over records that are not its own, moving its position, and says nothing is pending; after
     * {@code endAtHead} it reads nothing appended later. Kills {@code hasPending}'s skip loop and position update,
     * its answer, and {@code endAtHead}/{@code limit} replaced.
     */
    @Test
    void shouldPassOverOthersRecordsAndEndAtTheHeadWhenAsked() {
        final BroadcastRing ring = new BroadcastRing(1024);
        final BroadcastReader a = ring.newReader();
        final BroadcastReader b = ring.newReader();
        append(ring, b.id(), "for b");
        append(ring, b.id(), "for b again");
        assertEquals(ring.head(), a.lag());
        assertFalse(a.hasPending());
        assertEquals(ring.head(), a.position(), "passing over moved it");
        assertEquals(0, a.lag());
        assertTrue(b.hasPending());
        assertEquals(0, b.position(), "its own record stays pending");
        append(ring, BroadcastRing.TO_ALL, "last");
        b.endAtHead();
        append(ring, BroadcastRing.TO_ALL, "after the end");
        assertEquals("for bfor b againlast", drain(b, 1024));
        assertFalse(b.hasPending());
        assertEquals("lastafter the end", drain(a, 1024));
        assertTrue(a.toString().contains("id=1"), a.toString());
        assertTrue(a.toString().contains("head=" + ring.head()), a.toString());
    }

    /**
     * A copy that stops mid-record resumes there, at the dst offset asked. Kills {@code copyTo}'s and
     * {@code advance}'s arithmetic ({@code sentInRecord}, the partial step) and {@code hasPending} answering false
     * while a record is half sent.
     */
    @Test
    void shouldResumeMidRecordAfterAPartialCopy() {
        final BroadcastRing ring = new BroadcastRing(1024);
        final BroadcastReader reader = ring.newReader();
        append(ring, BroadcastRing.TO_ALL, "0123456789");
        append(ring, 99, "skipped");
        append(ring, BroadcastRing.TO_ALL, "abc");
        final UnsafeBuffer dst = new UnsafeBuffer(new byte[32]);
        assertEquals(4, reader.copyTo(dst, 2, 4));
        assertEquals("0123", new String(bytes(dst, 2, 4)));
        assertTrue(reader.hasPending(), "six bytes of the first record are left");
        assertEquals(0, reader.position(), "the position stays on the half-sent record");
        assertEquals(6, reader.copyTo(dst, 0, 6));
        assertEquals("456789", new String(bytes(dst, 0, 6)));
        assertTrue(reader.position() > 0);
        assertEquals(3, reader.copyTo(dst, 0, 32));
        assertEquals("abc", new String(bytes(dst, 0, 3)));
        assertEquals(ring.head(), reader.position(), "past the record for reader 99 too");
        assertEquals(0, reader.copyTo(dst, 0, 32));
    }

    /**
     * One gathering write takes at most 64 payloads and at most a quarter of the ring; one payload goes as a
     * single write. Kills {@code MAX_SEGMENTS} and the quarter-ring limits at the wrong edge or dropped, the
     * views not grown, and the single-buffer branch negated.
     */
    @Test
    void shouldGatherAtMost64PayloadsAndAQuarterOfTheRingPerWrite() throws IOException {
        final BroadcastRing ring = new BroadcastRing(4096);
        final BroadcastReader reader = ring.newReader();
        final StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            final String payload = Character.toString('A' + i % 26);
            append(ring, BroadcastRing.TO_ALL, payload);
            expected.append(payload);
        }
        final Pipe pipe = Pipe.open();
        try (Pipe.SinkChannel sink = pipe.sink(); Pipe.SourceChannel source = pipe.source()) {
            assertEquals(64, reader.writeTo(sink), "64 segments in one write");
            assertEquals(36, reader.writeTo(sink));
            assertEquals(0, reader.writeTo(sink), "nothing left");
            assertEquals(expected.toString(), new String(read(source, 100)));

            // Quarter of the ring: 1024 bytes per write, the record that crosses it split.
            final BroadcastReader late = ring.newReader();
            final StringBuilder big = new StringBuilder();
            for (int i = 0; i < 3; i++) {
                final String payload = String.valueOf((char) ('a' + i)).repeat(600);
                append(ring, BroadcastRing.TO_ALL, payload);
                big.append(payload);
            }
            assertEquals(1024, late.writeTo(sink));
            assertEquals(776, late.writeTo(sink));
            assertEquals(big.toString(), new String(read(source, 1800)));
            // A single pending payload goes as one plain write.
            append(ring, BroadcastRing.TO_ALL, "one");
            assertEquals(3, late.writeTo(sink));
            assertEquals("one", new String(read(source, 3)));
            assertEquals(1800 + 3, reader.writeTo(sink) + reader.writeTo(sink));
            assertEquals(big + "one", new String(read(source, 1803)));
        }
    }

    /**
     * Partial writes over a real loopback socket with a small send buffer: whatever the kernel takes, the peer
     * receives each addressed payload once, in order, and nothing else. Kills {@code advance}'s partial-record
     * arithmetic and the position moved by the wrong amount.
     */
    @Test
    void shouldResumePartialSocketWritesWithoutLosingOrRepeatingAByte() throws IOException {
        final BroadcastRing ring = new BroadcastRing(1 << 16);
        final BroadcastReader reader = ring.newReader();
        final ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (int i = 0; i < 6; i++) {
            final byte[] payload = new byte[5000 + i];
            for (int j = 0; j < payload.length; j++) {
                payload[j] = (byte) (i * 31 + j);
            }
            ring.append(BroadcastRing.TO_ALL, new UnsafeBuffer(payload), 0, payload.length);
            ring.append(reader.id() + 1, new UnsafeBuffer(new byte[100]), 0, 100);
            expected.write(payload);
        }
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
            SocketChannel client = SocketChannel.open()) {
            client.setOption(StandardSocketOptions.SO_SNDBUF, 4096);
            client.connect(server.getLocalAddress());
            try (SocketChannel peer = server.accept()) {
                client.configureBlocking(false);
                peer.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
                peer.configureBlocking(false);
                final ByteArrayOutputStream received = new ByteArrayOutputStream();
                final ByteBuffer chunk = ByteBuffer.allocate(1000);
                int partial = 0;
                for (int i = 0; i < 1_000_000 && received.size() < expected.size(); i++) {
                    final int written = reader.writeTo(client);
                    if (written > 0 && reader.hasPending()) {
                        partial++;
                    }
                    chunk.clear();
                    final int n = peer.read(chunk);
                    if (n > 0) {
                        received.write(chunk.array(), 0, n);
                    }
                }
                assertArrayEquals(expected.toByteArray(), received.toByteArray());
                assertTrue(partial > 0, "the small buffers made some writes partial");
                assertFalse(reader.hasPending());
            }
        }
    }

    private static void append(final BroadcastRing ring, final int address, final String payload) {
        final byte[] bytes = payload.getBytes();
        ring.append(address, new UnsafeBuffer(bytes), 0, bytes.length);
    }

    private static String drain(final BroadcastReader reader, final int max) {
        final UnsafeBuffer dst = new UnsafeBuffer(new byte[max]);
        final int n = reader.copyTo(dst, 0, max);
        return new String(bytes(dst, 0, n));
    }

    private static byte[] bytes(final UnsafeBuffer buffer, final int offset, final int length) {
        final byte[] out = new byte[length];
        buffer.getBytes(offset, out);
        return out;
    }

    private static byte[] read(final Pipe.SourceChannel source, final int length) throws IOException {
        final ByteBuffer buffer = ByteBuffer.allocate(length);
        for (int i = 0; i < 1000 && buffer.hasRemaining(); i++) {
            if (source.read(buffer) < 0) {
                break;
            }
        }
        return buffer.array();
    }
}
