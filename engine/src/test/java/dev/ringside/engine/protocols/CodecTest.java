package dev.ringside.engine.protocols;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

import dev.ringside.engine.buffer.ByteRing;
import dev.ringside.engine.protocol.ClientCodec;
import dev.ringside.engine.protocol.ReplyFault;
import dev.ringside.engine.protocol.chat.ChatCodec;
import dev.ringside.engine.protocol.echo.EchoCodec;
import dev.ringside.engine.protocol.rr.RrCodec;
import dev.ringside.engine.protocol.sockperf.SockperfCodec;
import dev.ringside.engine.protocol.sockperf.SockperfProtocol;
import dev.ringside.engine.testing.RecordingSink;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Each client codec decodes replies byte-exactly whatever the split: one byte at a time, at every two-way
 * split, and all at once; and flags damage. (HTTP has its own, {@code HttpCodecTest}.)
 */
class CodecTest {
    private static final int CONNECTION = 7;

    /** Feeds the stream to a fresh codec in the given pieces and returns what the sink saw. */
    private static RecordingSink feed(final ClientCodec codec, final byte[] stream, final int... cuts) {
        final ByteRing ring = ByteRing.allocate(64 * 1024);
        final RecordingSink sink = new RecordingSink();
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            final int to = i < cuts.length ? cuts[i] : stream.length;
            assertTrue(ring.write(new UnsafeBuffer(stream), from, to - from));
            final int result = codec.decode(ring, sink);
            assertTrue(result >= 0, "decode failed at piece " + i);
            from = to;
        }
        return sink;
    }

    /** Every split the issue asks for: all at once, each two-way split, one byte at a time. */
    private static void assertAllSplits(final Supplier<ClientCodec> codecs, final byte[] stream, final int replies,
        final int errors) {
        check(codecs.get(), stream, replies, errors);
        for (int cut = 1; cut < stream.length; cut++) {
            check(codecs.get(), stream, replies, errors, cut);
        }
        final int[] everyByte = new int[stream.length - 1];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = i + 1;
        }
        check(codecs.get(), stream, replies, errors, everyByte);
    }

    private static void check(final ClientCodec codec, final byte[] stream, final int replies, final int errors,
        final int... cuts) {
        final RecordingSink sink = feed(codec, stream, cuts);
        assertEquals(replies, sink.seqs.size() + sink.deliveries.size(), "replies");
        assertEquals(errors, sink.errorCount(), "errors");
        for (int i = 0; i < sink.seqs.size(); i++) {
            assertEquals(i, sink.seqs.get(i), "replies in order");
        }
    }

    private static byte[] requests(final ClientCodec codec, final int count) {
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[codec.maxRequestBytes()]);
        final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int seq = 0; seq < count; seq++) {
            final int length = codec.encode(scratch, seq, 1_000L * seq, 1_000L * seq + 5);
            final byte[] bytes = new byte[length];
            scratch.getBytes(0, bytes);
            out.writeBytes(bytes);
        }
        return out.toByteArray();
    }

    @Test
    void shouldVerifyEchoedBytesWhateverTheSplit() {
        final byte[] echoed = requests(new EchoCodec(CONNECTION, 20), 3);
        assertAllSplits(() -> new EchoCodec(CONNECTION, 20), echoed, 3, 0);
    }

    @Test
    void shouldFlagAnyCorruptedByteAndOnlyThatMessage() {
        for (int position = 0; position < 60; position++) {
            final byte[] echoed = requests(new EchoCodec(CONNECTION, 20), 3);
            echoed[position] ^= 0x01;
            final RecordingSink sink = feed(new EchoCodec(CONNECTION, 20), echoed);
            assertEquals(3, sink.seqs.size());
            assertEquals(ReplyFault.MISMATCH, sink.errors.get(position / 20), "byte " + position);
            assertEquals(1, sink.errorCount());
        }
    }

    /**
     * Without verification a reply is counted by its length, wherever the reads split it; a damaged byte is not
     * an error. Catches a count that loses the offset of a reply split across reads (one reply too few or too many).
     */
    @Test
    void shouldCountUnverifiedEchoRepliesByLengthWhateverTheSplit() {
        final byte[] echoed = requests(new EchoCodec(CONNECTION, 20), 3);
        echoed[25] ^= 0x01;
        assertAllSplits(() -> new EchoCodec(CONNECTION, 20, false), echoed, 3, 0);
    }

    @Test
    void shouldFlagBytesFromAnotherConnection() {
        final byte[] other = requests(new EchoCodec(CONNECTION + 1, 64), 1);
        assertEquals(1, feed(new EchoCodec(CONNECTION, 64), other).errorCount());
    }

    @Test
    void shouldVerifyEchoDatagramsByTheirOwnSequenceNumber() {
        final EchoCodec codec = new EchoCodec(CONNECTION, 32);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[32]);
        codec.encode(buffer, 41, 0, 0);
        final RecordingSink sink = new RecordingSink();
        codec.decodeDatagram(buffer, 32, sink);
        buffer.putByte(31, (byte) (buffer.getByte(31) + 1));
        codec.decodeDatagram(buffer, 32, sink);
        codec.decodeDatagram(buffer, 31, sink);
        assertEquals(List.of(41L, 41L, 41L), sink.seqs);
        assertNull(sink.errors.get(0));
        assertEquals(ReplyFault.MISMATCH, sink.errors.get(1));
        assertEquals(ReplyFault.MISMATCH, sink.errors.get(2));
    }

    @Test
    void shouldDecodeRrFramesWhateverTheSplit() {
        final byte[] echoed = requests(new RrCodec(CONNECTION, 10), 3);
        assertEquals(3 * 14, echoed.length);
        assertEquals(10, new UnsafeBuffer(echoed).getInt(0, ByteOrder.BIG_ENDIAN));
        assertAllSplits(() -> new RrCodec(CONNECTION, 10), echoed, 3, 0);
        echoed[14 + 4 + 9] ^= 0x10;
        check(new RrCodec(CONNECTION, 10), echoed, 3, 1);
    }

    @Test
    void shouldAcceptRrRepliesOfAnotherSizeWithoutCheckingTheirContent() {
        final byte[] replies = new byte[(4 + 3) * 2];
        final UnsafeBuffer view = new UnsafeBuffer(replies);
        view.putInt(0, 3, ByteOrder.BIG_ENDIAN);
        view.putInt(7, 3, ByteOrder.BIG_ENDIAN);
        assertAllSplits(() -> new RrCodec(CONNECTION, 100), replies, 2, 0);
        final byte[] empty = new byte[4];
        assertAllSplits(() -> new RrCodec(CONNECTION, 0), empty, 1, 0);
    }

    @Test
    void shouldRejectANegativeRrLength() {
        final ByteRing ring = ByteRing.allocate(64);
        ring.writeIntBigEndian(-5);
        assertEquals(ClientCodec.MALFORMED, new RrCodec(CONNECTION, 8).decode(ring, new RecordingSink()));
    }

    /** What sockperf's server sends back: the request with the CLIENT bit cleared. */
    private static byte[] sockperfReplies(final int size, final int count) {
        final byte[] stream = requests(new SockperfCodec(CONNECTION, size), count);
        for (int i = 0; i < count; i++) {
            stream[i * size + 9] &= ~SockperfProtocol.FLAG_CLIENT;
        }
        return stream;
    }

    @Test
    void shouldWriteSockperfHeadersAsTheRealClientDoes() {
        // Captured from sockperf 3.7 ping-pong: seq 1, flags CLIENT|PONG_REQUEST, length 20 (whole message).
        final byte[] request = new byte[20];
        new SockperfCodec(CONNECTION, 20).encode(new UnsafeBuffer(request), 1, 0, 0);
        final byte[] header = new byte[14];
        System.arraycopy(request, 0, header, 0, 14);
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 0, 1, 0, 3, 0, 0, 0, 20}, header);
    }

    @Test
    void shouldDecodeSockperfRepliesWhateverTheSplit() {
        assertAllSplits(() -> new SockperfCodec(CONNECTION, 14), sockperfReplies(14, 3), 3, 0);
        assertAllSplits(() -> new SockperfCodec(CONNECTION, 30), sockperfReplies(30, 2), 2, 0);
    }

    @Test
    void shouldFlagASockperfReplyThatStillHasTheClientBit() {
        final byte[] replies = sockperfReplies(20, 3);
        replies[20 + 9] |= SockperfProtocol.FLAG_CLIENT;
        check(new SockperfCodec(CONNECTION, 20), replies, 3, 1);
        final byte[] datagram = sockperfReplies(20, 1);
        final RecordingSink sink = new RecordingSink();
        new SockperfCodec(CONNECTION, 20).decodeDatagram(new UnsafeBuffer(datagram), 20, sink);
        datagram[9] |= SockperfProtocol.FLAG_CLIENT;
        new SockperfCodec(CONNECTION, 20).decodeDatagram(new UnsafeBuffer(datagram), 20, sink);
        assertNull(sink.errors.get(0));
        assertEquals(ReplyFault.MISMATCH, sink.errors.get(1));
    }

    @Test
    void shouldFlagAnOutOfSequenceSockperfReply() {
        final byte[] replies = sockperfReplies(14, 2);
        replies[7] = 9; // first reply claims seq 9
        check(new SockperfCodec(CONNECTION, 14), replies, 2, 1);
    }

    private static byte[] ascii(final String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void shouldDecodeChatLinesWithTheirStampsWhateverTheSplit() {
        final ChatCodec publisher = new ChatCodec(3, 64);
        final byte[] lines = requests(publisher, 3);
        assertEquals(3 * 64, lines.length);
        assertEquals('\n', lines[63]);
        assertAllSplits(() -> new ChatCodec(9, 64), lines, 3, 0);
        final RecordingSink sink = feed(new ChatCodec(9, 64), lines);
        assertArrayEquals(new long[] {3, 2, 2_000, 2_005}, sink.deliveries.get(2));
    }

    @Test
    void shouldReadChatLinesThatTheServerPrefixedAndCountForeignOnes() {
        final byte[] line = requests(new ChatCodec(3, 60), 1);
        final byte[] stream = ascii("[127.0.0.1:4000] " + new String(line, StandardCharsets.US_ASCII)
            + "welcome to the room\r\n");
        final RecordingSink sink = feed(new ChatCodec(9, 60), stream);
        assertEquals(1, sink.deliveries.size());
        assertEquals(0, sink.errorCount());
        assertEquals(1, sink.foreign);
        line[58] = (byte) (line[58] == 'a' ? 'b' : 'a');
        assertEquals(1, feed(new ChatCodec(9, 60), line).errorCount(), "damaged padding");
    }
}
