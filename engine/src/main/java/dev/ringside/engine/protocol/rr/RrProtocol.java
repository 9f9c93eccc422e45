package dev.ringside.engine.protocol.rr;

import java.net.InetSocketAddress;
import java.nio.ByteOrder;

import dev.ringside.engine.buffer.ByteRing;
import dev.ringside.engine.protocol.CloseReason;
import dev.ringside.engine.protocol.DatagramHandler;
import dev.ringside.engine.protocol.Outbound;
import dev.ringside.engine.protocol.Protocol;
import dev.ringside.engine.protocol.Session;
import dev.ringside.engine.protocol.SessionContext;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * {@code rr}: request/response, as netperf's {@code TCP_RR}. A request is a 4-byte big-endian length and
 * that many payload bytes; each request gets one reply, a 4-byte length and the reply payload. By default
 * the reply is the request frame itself; with a fixed response size every reply carries that many bytes of
 * a fixed pattern ({@link #patternByte}), so clients can measure asymmetric exchanges and still check every
 * byte.
 *
 * <p>A negative length is a protocol error and a frame larger than the largest frame (the ring capacity: a
 * frame must fit whole in the inbound ring) closes the connection as too large, both detected from the
 * header before the payload arrives. Over UDP one datagram is one request, in the same format; a datagram
 * whose length field disagrees with its size is dropped.
 */
public final class RrProtocol implements Protocol {
    /** Size of the length prefix. */
    public static final int HEADER_BYTES = Integer.BYTES;
    /** Response size meaning "reply with the request frame itself". */
    public static final int SAME_AS_REQUEST = -1;
    /** The largest UDP payload: bounds the fixed reply size for datagrams. */
    private static final int MAX_DATAGRAM_BYTES = 65_507;

    private final int responseSizeBytes;
    private final int maxFrameBytes;
    /** The fixed reply (length prefix and pattern), or {@code null} when replies echo the request frame. */
    private final UnsafeBuffer fixedReply;
    private final Session session = this::onData;

    /**
     * Creates the protocol.
     *
     * @param responseSizeBytes the payload size of every reply, or {@link #SAME_AS_REQUEST} to echo each frame
     * @param maxFrameBytes     the largest frame, header included (the ring capacity: a frame is held whole)
     */
    public RrProtocol(final int responseSizeBytes, final int maxFrameBytes) {
        if (responseSizeBytes < 0 && responseSizeBytes != SAME_AS_REQUEST) {
            throw new IllegalArgumentException("--response-size must not be negative, got " + responseSizeBytes);
        }
        this.responseSizeBytes = responseSizeBytes;
        this.maxFrameBytes = maxFrameBytes;
        if (responseSizeBytes == SAME_AS_REQUEST) {
            fixedReply = null;
        } else {
            if (HEADER_BYTES + (long) responseSizeBytes > maxFrameBytes) {
                throw new IllegalArgumentException("--response-size " + responseSizeBytes
                    + " does not fit a ring of " + maxFrameBytes + " bytes with its 4-byte length;"
                    + " raise --ring-capacity or lower --response-size");
            }
            fixedReply = new UnsafeBuffer(new byte[HEADER_BYTES + responseSizeBytes]);
            fixedReply.putInt(0, responseSizeBytes, ByteOrder.BIG_ENDIAN);
            for (int i = 0; i < responseSizeBytes; i++) {
                fixedReply.putByte(HEADER_BYTES + i, patternByte(i));
            }
        }
    }

    /**
     * The byte at an offset of a fixed-size reply's payload.
     *
     * @param offset offset in the payload
     * @return the byte
     */
    public static byte patternByte(final int offset) {
        return (byte) ('a' + offset % 26);
    }

    @Override
    public String name() {
        return "rr";
    }

    @Override
    public Session newSession(final SessionContext context) {
        // No per-connection state: the frame header is re-read from the ring until the frame is complete.
        return session;
    }

    @Override
    public DatagramHandler newDatagramHandler(final String localAddress) {
        if (fixedReply != null && fixedReply.capacity() > MAX_DATAGRAM_BYTES) {
            throw new IllegalArgumentException("--response-size " + responseSizeBytes
                + " does not fit a datagram (at most " + (MAX_DATAGRAM_BYTES - HEADER_BYTES) + ")");
        }
        return this::onDatagram;
    }

    private int onData(final ByteRing inbound, final Outbound out) {
        int frames = 0;
        while (inbound.readableBytes() >= HEADER_BYTES) {
            final long position = inbound.readPosition();
            final int payloadBytes = inbound.getIntBigEndian(position);
            if (payloadBytes < 0) {
                out.close(CloseReason.PROTOCOL_ERROR);
                return frames;
            }
            if (payloadBytes > maxFrameBytes - HEADER_BYTES) {
                out.close(CloseReason.FRAME_TOO_LARGE);
                return frames;
            }
            final int frameBytes = HEADER_BYTES + payloadBytes;
            if (inbound.readableBytes() < frameBytes) {
                break;
            }
            final boolean written = fixedReply == null
                ? out.write(inbound, position, frameBytes)
                : out.write(fixedReply, 0, fixedReply.capacity());
            if (!written) {
                break; // output full: leave the request; the connection reads again once output drains
            }
            inbound.consume(frameBytes);
            frames++;
        }
        return frames;
    }

    private int onDatagram(final MutableDirectBuffer buffer, final int length,
        final InetSocketAddress sender) {
        if (length < HEADER_BYTES || buffer.getInt(0, ByteOrder.BIG_ENDIAN) != length - HEADER_BYTES) {
            return DatagramHandler.NO_REPLY;
        }
        if (fixedReply == null) {
            return length;
        }
        buffer.putBytes(0, fixedReply, 0, fixedReply.capacity());
        return fixedReply.capacity();
    }
}
