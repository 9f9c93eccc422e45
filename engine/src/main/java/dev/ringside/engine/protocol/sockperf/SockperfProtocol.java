package dev.ringside.engine.protocol.sockperf;

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
 * {@code sockperf}: answers exactly as {@code sockperf server} does, so the standard latency tool's
 * {@code ping-pong}, {@code under-load} and {@code throughput} modes run against Ringside unchanged.
 *
 * <p>Every sockperf message starts with a 14-byte header in network byte order: sequence number (u64),
 * flags (u16: {@link #FLAG_CLIENT}, {@link #FLAG_PONG_REQUEST}, {@link #FLAG_WARMUP}) and the message's
 * total length, header included (u32). Like sockperf's server, this one replies only to a client message
 * that asks for a reply and is not a warm-up message, and the reply is the message itself with the CLIENT
 * bit cleared (sockperf's client drops replies that still have it). Over TCP messages are framed by the
 * length field; over UDP each datagram carries one message.
 *
 * <p>A length below the header size is a protocol error; one above the largest frame (the ring capacity)
 * closes the connection as too large, as sockperf's server closes on a message larger than it expects.
 */
public final class SockperfProtocol implements Protocol {
    /** Header size: sequence number, flags, length. */
    public static final int HEADER_BYTES = 14;
    /** Offset of the flags field. */
    public static final int FLAGS_OFFSET = 8;
    /** Offset of the length field. */
    public static final int LENGTH_OFFSET = 10;
    /** Set by the client on its messages; the server's replies have it clear. */
    public static final int FLAG_CLIENT = 1;
    /** The client wants this message answered. */
    public static final int FLAG_PONG_REQUEST = 2;
    /** Warm-up traffic, never answered. */
    public static final int FLAG_WARMUP = 4;
    /** Initial per-thread copy space; it grows, rarely, to the largest message answered. */
    private static final int INITIAL_SCRATCH_BYTES = 4096;

    private final int maxFrameBytes;
    private final Session session = this::onData;
    /**
     * Per-thread copy space for a reply: the CLIENT bit must be cleared, and the reply must go out as one
     * write, so the message is copied once and patched. Per thread, not per connection, so 100,000
     * connections on one loop share one; fetched on each call so any threading model is safe.
     */
    private final ThreadLocal<UnsafeBuffer> scratch =
        ThreadLocal.withInitial(() -> new UnsafeBuffer(new byte[INITIAL_SCRATCH_BYTES]));

    /**
     * Creates the protocol.
     *
     * @param maxFrameBytes the largest message, header included (the ring capacity: a message is held whole)
     */
    public SockperfProtocol(final int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    /**
     * Whether the real sockperf server would answer a message with these flags.
     *
     * @param flags the header's flags
     * @return true for a client's non-warm-up pong request
     */
    public static boolean wantsReply(final int flags) {
        return (flags & (FLAG_CLIENT | FLAG_PONG_REQUEST | FLAG_WARMUP)) == (FLAG_CLIENT | FLAG_PONG_REQUEST);
    }

    @Override
    public String name() {
        return "sockperf";
    }

    @Override
    public Session newSession(final SessionContext context) {
        return session;
    }

    @Override
    public DatagramHandler newDatagramHandler(final String localAddress) {
        return this::onDatagram;
    }

    private int onData(final ByteRing inbound, final Outbound out) {
        int messages = 0;
        UnsafeBuffer copy = null;
        while (inbound.readableBytes() >= HEADER_BYTES) {
            final long position = inbound.readPosition();
            final long messageBytes = inbound.getIntBigEndian(position + LENGTH_OFFSET) & 0xFFFF_FFFFL;
            if (messageBytes < HEADER_BYTES) {
                out.close(CloseReason.PROTOCOL_ERROR);
                return messages;
            }
            if (messageBytes > maxFrameBytes) {
                out.close(CloseReason.FRAME_TOO_LARGE);
                return messages;
            }
            final int length = (int) messageBytes;
            if (inbound.readableBytes() < length) {
                break;
            }
            final int flags = (inbound.getByte(position + FLAGS_OFFSET) & 0xFF) << 8
                | inbound.getByte(position + FLAGS_OFFSET + 1) & 0xFF;
            if (wantsReply(flags)) {
                if (out.writableBytes() < length) {
                    break; // output full: keep the message until it drains
                }
                if (copy == null) {
                    copy = scratch.get();
                }
                if (copy.capacity() < length) {
                    copy.wrap(new byte[Math.max(length, copy.capacity() * 2)]);
                }
                inbound.copyTo(position, copy, 0, length);
                copy.putShort(FLAGS_OFFSET, (short) (flags & ~FLAG_CLIENT), ByteOrder.BIG_ENDIAN);
                if (!out.write(copy, 0, length)) {
                    break;
                }
            }
            inbound.consume(length);
            messages++;
        }
        return messages;
    }

    private int onDatagram(final MutableDirectBuffer buffer, final int length, final InetSocketAddress sender) {
        if (length < HEADER_BYTES) {
            return DatagramHandler.NO_REPLY;
        }
        final long messageBytes = buffer.getInt(LENGTH_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
        if (messageBytes < HEADER_BYTES || messageBytes > length) {
            return DatagramHandler.NO_REPLY;
        }
        final int flags = buffer.getShort(FLAGS_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        if (!wantsReply(flags)) {
            return DatagramHandler.NO_REPLY;
        }
        buffer.putShort(FLAGS_OFFSET, (short) (flags & ~FLAG_CLIENT), ByteOrder.BIG_ENDIAN);
        return (int) messageBytes;
    }
}
