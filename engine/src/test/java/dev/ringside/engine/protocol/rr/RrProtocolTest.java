package dev.ringside.engine.protocol.rr;

import static dev.ringside.engine.testing.Feeder.everySplit;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;

import dev.ringside.engine.buffer.ByteRing;
import dev.ringside.engine.protocol.CloseReason;
import dev.ringside.engine.protocol.DatagramHandler;
import dev.ringside.engine.protocol.Session;
import dev.ringside.engine.testing.Feeder;
import dev.ringside.engine.testing.RecordingOutbound;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

public class RrProtocolTest {
    private static final InetSocketAddress SENDER = new InetSocketAddress("127.0.0.1", 9);

    public static byte[] frame(final int declaredLength, final byte[] payload) {
        return ByteBuffer.allocate(4 + payload.length).putInt(declaredLength).put(payload).array();
    }

    public static byte[] frame(final String payload) {
        final byte[] bytes = Feeder.ascii(payload);
        return frame(bytes.length, bytes);
    }

    public static byte[] concat(final byte[]... parts) {
        final ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (final byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }

    private static Feeder.Subject subject(final RrProtocol options) {
        return new Feeder.Subject(options.newSession(null), new RecordingOutbound(Feeder.OUTPUT_BYTES));
    }

    @Test
    void shouldEchoEachFrameAtEverySplit() {
        final byte[] input = concat(frame(""), frame("hello"), frame("x"), frame("tail-not-complete"));
        final byte[] partial = Arrays.copyOf(input, input.length - 3);
        final byte[] expected = concat(frame(""), frame("hello"), frame("x"));
        everySplit(() -> subject(new RrProtocol(RrProtocol.SAME_AS_REQUEST, 64 * 1024)), partial, result -> {
            assertArrayEquals(expected, result.output());
            assertEquals(3, result.messages());
            assertNull(result.closedWith());
            assertEquals(4 + "tail-not-complete".length() - 3, result.unconsumed().length);
        });
    }

    @Test
    void shouldReplyWithTheConfiguredSizeWhateverTheRequestSize() {
        final byte[] input = concat(frame(""), frame("a much longer request than the reply"), frame("abc"));
        final byte[] reply = frame("abcdefg");
        everySplit(() -> subject(new RrProtocol(7, 64 * 1024)), input, result -> {
            assertArrayEquals(concat(reply, reply, reply), result.output());
            assertEquals(3, result.messages());
        });
    }

    @Test
    void shouldReplyWithEmptyPayloadWhenResponseSizeIsZero() {
        everySplit(() -> subject(new RrProtocol(0, 64 * 1024)), frame("abc"),
            result -> assertArrayEquals(new byte[4], result.output()));
    }

    @Test
    void shouldCloseAsProtocolErrorOnNegativeLength() {
        final byte[] input = concat(frame("ok"), frame(-1, new byte[3]));
        everySplit(() -> subject(new RrProtocol(RrProtocol.SAME_AS_REQUEST, 64 * 1024)), input, result -> {
            assertArrayEquals(frame("ok"), result.output());
            assertEquals(CloseReason.PROTOCOL_ERROR, result.closedWith());
        });
    }

    @Test
    void shouldCloseAsTooLargeOnLengthBeyondTheRingFromTheHeaderAlone() {
        final RrProtocol options = new RrProtocol(RrProtocol.SAME_AS_REQUEST, 64);
        final byte[] fits = frame(60, new byte[60]);
        everySplit(() -> subject(options), fits, result -> {
            assertArrayEquals(fits, result.output());
            assertNull(result.closedWith());
        });
        final byte[] tooLarge = frame(61, new byte[2]);
        everySplit(() -> subject(options), tooLarge, result -> {
            assertEquals(0, result.output().length);
            assertEquals(CloseReason.FRAME_TOO_LARGE, result.closedWith());
        });
        everySplit(() -> subject(options), frame(Integer.MAX_VALUE, new byte[0]),
            result -> assertEquals(CloseReason.FRAME_TOO_LARGE, result.closedWith()));
    }

    @Test
    void shouldLeaveRequestsWhoseReplyDoesNotFitUntilOutputDrains() {
        final Session session = new RrProtocol(RrProtocol.SAME_AS_REQUEST, 64 * 1024).newSession(null);
        final RecordingOutbound out = new RecordingOutbound(12);
        final ByteRing ring = ByteRing.allocate(256);
        final byte[] input = concat(frame("12345678"), frame("abcdefgh"));
        ring.write(new UnsafeBuffer(input), 0, input.length);
        assertEquals(1, session.onData(ring, out));
        assertEquals(12, ring.readableBytes(), "the second request stays until its reply fits");
        assertArrayEquals(frame("12345678"), out.drain());
        assertEquals(1, session.onData(ring, out));
        assertArrayEquals(frame("abcdefgh"), out.drain());
        assertEquals(0, ring.readableBytes());
    }

    @Test
    void shouldRejectAResponseSizeThatCannotFitTheRing() {
        assertThrows(IllegalArgumentException.class,
            () -> new RrProtocol(61, 64));
        new RrProtocol(60, 64);
        assertThrows(IllegalArgumentException.class,
            () -> new RrProtocol(65_504, 1 << 20)
                .newDatagramHandler("x"));
    }

    @Test
    void shouldAnswerOneDatagramAsOneRequest() {
        final DatagramHandler echo = new RrProtocol(RrProtocol.SAME_AS_REQUEST, 64 * 1024).newDatagramHandler("x");
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[65_536]);
        final byte[] request = frame("ping");
        buffer.putBytes(0, request);
        assertEquals(request.length, echo.onDatagram(buffer, request.length, SENDER));
        assertArrayEquals(request, Arrays.copyOf(buffer.byteArray(), request.length));

        final DatagramHandler fixed =
            new RrProtocol(30, 64 * 1024).newDatagramHandler("x");
        buffer.putBytes(0, request);
        assertEquals(34, fixed.onDatagram(buffer, request.length, SENDER));
        assertArrayEquals(frame("abcdefghijklmnopqrstuvwxyzabcd"), Arrays.copyOf(buffer.byteArray(), 34));
    }

    @Test
    void shouldDropDatagramsWhoseLengthFieldDisagrees() {
        final DatagramHandler handler = new RrProtocol(RrProtocol.SAME_AS_REQUEST, 64 * 1024).newDatagramHandler("x");
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        buffer.putBytes(0, frame(5, Feeder.ascii("abcd")));
        assertEquals(DatagramHandler.NO_REPLY, handler.onDatagram(buffer, 8, SENDER));
        assertEquals(DatagramHandler.NO_REPLY, handler.onDatagram(buffer, 3, SENDER));
        buffer.putBytes(0, frame(-4, new byte[0]));
        assertEquals(DatagramHandler.NO_REPLY, handler.onDatagram(buffer, 4, SENDER));
    }
}
