package dev.ringside.engine.protocol.sockperf;

import static dev.ringside.engine.protocol.rr.RrProtocolTest.concat;
import static dev.ringside.engine.testing.Feeder.everySplit;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;

import dev.ringside.engine.protocol.CloseReason;
import dev.ringside.engine.protocol.DatagramHandler;
import dev.ringside.engine.testing.Feeder;
import dev.ringside.engine.testing.RecordingOutbound;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

public class SockperfProtocolTest {
    public static final int CLIENT = SockperfProtocol.FLAG_CLIENT;
    public static final int PONG = SockperfProtocol.FLAG_PONG_REQUEST;
    public static final int WARMUP = SockperfProtocol.FLAG_WARMUP;

    /** A sockperf message: header in network order, then a payload pattern derived from the sequence number. */
    public static byte[] message(final long sequence, final int flags, final int totalLength) {
        final ByteBuffer buffer = ByteBuffer.allocate(Math.max(totalLength, 14));
        buffer.putLong(sequence).putShort((short) flags).putInt(totalLength);
        for (int i = 14; i < totalLength; i++) {
            buffer.put((byte) (sequence * 31 + i));
        }
        return buffer.array();
    }

    private static Feeder.Subject subject(final int maxFrameBytes) {
        return new Feeder.Subject(new SockperfProtocol(maxFrameBytes)
            .newSession(null), new RecordingOutbound(Feeder.OUTPUT_BYTES));
    }

    @Test
    void shouldAnswerOnlyClientPongRequestsWithTheClientBitClearedAtEverySplit() {
        final byte[] input = concat(
            message(1, CLIENT | PONG, 14),
            message(2, CLIENT, 20),              // no pong asked: silence, as under-load's other messages
            message(3, CLIENT | PONG | WARMUP, 16), // warm-up: never answered
            message(4, PONG, 14),                // not from a client (a reply looping back): ignored
            message(0x0102030405060708L, CLIENT | PONG, 40),
            Arrays.copyOf(message(6, CLIENT | PONG, 30), 20));
        final byte[] expected = concat(message(1, PONG, 14), message(0x0102030405060708L, PONG, 40));
        everySplit(() -> subject(1024), input, result -> {
            assertArrayEquals(expected, result.output());
            assertEquals(5, result.messages());
            assertNull(result.closedWith());
            assertEquals(20, result.unconsumed().length);
        });
    }

    @Test
    void shouldKeepUnknownFlagBitsAndOnlyClearTheClientBit() {
        everySplit(() -> subject(1024), message(9, 0xFF03, 14),
            result -> assertArrayEquals(message(9, 0xFF02, 14), result.output()));
    }

    @Test
    void shouldCloseAsProtocolErrorWhenTheLengthIsShorterThanTheHeader() {
        everySplit(() -> subject(1024), concat(message(1, CLIENT | PONG, 14), message(2, CLIENT | PONG, 13)),
            result -> {
                assertArrayEquals(message(1, PONG, 14), result.output());
                assertEquals(CloseReason.PROTOCOL_ERROR, result.closedWith());
            });
    }

    @Test
    void shouldCloseAsTooLargeBeyondTheLargestFrameReadingTheLengthUnsigned() {
        everySplit(() -> subject(64), message(1, CLIENT | PONG, 64),
            result -> assertNull(result.closedWith()));
        everySplit(() -> subject(64), Arrays.copyOf(message(1, CLIENT | PONG, 65), 14),
            result -> assertEquals(CloseReason.FRAME_TOO_LARGE, result.closedWith()));
        final byte[] huge = message(1, CLIENT | PONG, 14);
        huge[10] = (byte) 0xFF; // length 0xFF00000E: above 2^31, so negative as a signed int
        everySplit(() -> subject(64), huge, result -> assertEquals(CloseReason.FRAME_TOO_LARGE, result.closedWith()));
    }

    @Test
    void shouldAnswerMessagesLargerThanTheInitialCopySpace() {
        final byte[] large = message(77, CLIENT | PONG, 9000);
        final Feeder.Result result = Feeder.feed(subject(16 * 1024), large, new int[] {large.length}, 5, 16 * 1024);
        assertArrayEquals(message(77, PONG, 9000), result.output());
    }

    @Test
    void shouldAnswerDatagramsInPlace() {
        final DatagramHandler handler = new SockperfProtocol(64 * 1024).newDatagramHandler("x");
        final InetSocketAddress sender = new InetSocketAddress("127.0.0.1", 9);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[65_536]);
        buffer.putBytes(0, message(5, CLIENT | PONG, 64));
        assertEquals(64, handler.onDatagram(buffer, 64, sender));
        assertArrayEquals(message(5, PONG, 64), Arrays.copyOf(buffer.byteArray(), 64));

        for (final int flags : new int[] {CLIENT, PONG, CLIENT | PONG | WARMUP, 0}) {
            buffer.putBytes(0, message(5, flags, 64));
            assertEquals(DatagramHandler.NO_REPLY, handler.onDatagram(buffer, 64, sender), "flags " + flags);
        }
        buffer.putBytes(0, message(5, CLIENT | PONG, 64));
        assertEquals(DatagramHandler.NO_REPLY, handler.onDatagram(buffer, 63, sender), "truncated");
        assertEquals(DatagramHandler.NO_REPLY, handler.onDatagram(buffer, 13, sender), "shorter than a header");
        buffer.putBytes(0, message(5, CLIENT | PONG, 10));
        assertEquals(DatagramHandler.NO_REPLY, handler.onDatagram(buffer, 14, sender), "length below header");
    }

    @Test
    void shouldWantReplyExactlyAsSockperfServerDoes() {
        assertTrue(SockperfProtocol.wantsReply(CLIENT | PONG));
        assertTrue(SockperfProtocol.wantsReply(CLIENT | PONG | 0x80));
        assertFalse(SockperfProtocol.wantsReply(CLIENT));
        assertFalse(SockperfProtocol.wantsReply(PONG));
        assertFalse(SockperfProtocol.wantsReply(CLIENT | PONG | WARMUP));
    }
}
