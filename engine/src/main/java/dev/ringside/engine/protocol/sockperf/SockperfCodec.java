package dev.ringside.engine.protocol.sockperf;

import java.nio.ByteOrder;

import dev.ringside.engine.buffer.ByteRing;
import dev.ringside.engine.protocol.ClientCodec;
import dev.ringside.engine.protocol.PayloadPattern;
import dev.ringside.engine.protocol.ReplyFault;
import dev.ringside.engine.protocol.ReplySink;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * sockperf's wire format, so the generator can drive a real {@code sockperf server}: each message starts
 * with a 14-byte header in network order, {@code seq u64 | flags u16 | length u32}, where length is the
 * whole message including the header (checked against sockperf 3.7 on the wire). Requests carry
 * {@code CLIENT | PONG_REQUEST}; the server answers with the same message and the CLIENT bit cleared, and a
 * reply that still has it set is an error (sockperf's own client drops it). The WARMUP flag is never set:
 * sockperf's server does not answer such messages, and the generator's warm-up needs its replies.
 */
public final class SockperfCodec implements ClientCodec {
    /** Longest message accepted in a reply. */
    public static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;


    private final int connectionId;
    private final int size;
    private long expectSeq;
    private long expectSeed;
    private int remaining = -1;
    private int offset;
    private boolean checkPayload;
    private boolean damaged;

    public SockperfCodec(final int connectionId, final int size) {
        this.connectionId = connectionId;
        this.size = size;
    }

    @Override
    public int maxRequestBytes() {
        return size;
    }

    @Override
    public int encode(final MutableDirectBuffer buffer, final long seq, final long intendedNs, final long sentNs) {
        buffer.putLong(0, seq, ByteOrder.BIG_ENDIAN);
        final int flags = SockperfProtocol.FLAG_CLIENT | SockperfProtocol.FLAG_PONG_REQUEST;
        buffer.putShort(SockperfProtocol.FLAGS_OFFSET, (short) flags, ByteOrder.BIG_ENDIAN);
        buffer.putInt(SockperfProtocol.LENGTH_OFFSET, size, ByteOrder.BIG_ENDIAN);
        PayloadPattern.fill(buffer, SockperfProtocol.HEADER_BYTES, size - SockperfProtocol.HEADER_BYTES, seq,
            PayloadPattern.seed(connectionId, seq),
            SockperfProtocol.HEADER_BYTES);
        return size;
    }

    @Override
    public int decode(final ByteRing inbound, final ReplySink sink) {
        int replies = 0;
        while (true) {
            if (remaining < 0) {
                if (inbound.readableBytes() < SockperfProtocol.HEADER_BYTES) {
                    return replies;
                }
                final long start = inbound.readPosition();
                final long seq = readLong(inbound, start);
                final int flags = ((inbound.getByte(start + SockperfProtocol.FLAGS_OFFSET) & 0xFF) << 8)
                    | (inbound.getByte(start + SockperfProtocol.FLAGS_OFFSET + 1) & 0xFF);
                final int length = inbound.getIntBigEndian(start + SockperfProtocol.LENGTH_OFFSET);
                if (length < SockperfProtocol.HEADER_BYTES || length > MAX_MESSAGE_BYTES) {
                    return MALFORMED;
                }
                inbound.consume(SockperfProtocol.HEADER_BYTES);
                expectSeed = PayloadPattern.seed(connectionId, expectSeq);
                damaged = seq != expectSeq || flags != SockperfProtocol.FLAG_PONG_REQUEST || length != size;
                checkPayload = length == size;
                remaining = length - SockperfProtocol.HEADER_BYTES;
                offset = SockperfProtocol.HEADER_BYTES;
            }
            final int take = Math.min(remaining, inbound.readableBytes());
            if (checkPayload
                && !PayloadPattern.matches(inbound, inbound.readPosition(), take, expectSeq, expectSeed, offset)) {
                damaged = true;
            }
            inbound.consume(take);
            offset += take;
            remaining -= take;
            if (remaining > 0) {
                return replies;
            }
            remaining = -1;
            replies++;
            final boolean more = sink.onReply(expectSeq, damaged ? ReplyFault.MISMATCH : null);
            expectSeq++;
            if (!more) {
                return MALFORMED;
            }
        }
    }

    private static long readLong(final ByteRing ring, final long position) {
        long value = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            value = (value << 8) | (ring.getByte(position + i) & 0xFF);
        }
        return value;
    }

    @Override
    public void decodeDatagram(final DirectBuffer buffer, final int length, final ReplySink sink) {
        if (length < SockperfProtocol.HEADER_BYTES) {
            sink.onReply(ReplySink.UNKNOWN, ReplyFault.MISMATCH);
            return;
        }
        final long seq = buffer.getLong(0, ByteOrder.BIG_ENDIAN);
        final int flags = buffer.getShort(SockperfProtocol.FLAGS_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        final int declared = buffer.getInt(SockperfProtocol.LENGTH_OFFSET, ByteOrder.BIG_ENDIAN);
        boolean intact = flags == SockperfProtocol.FLAG_PONG_REQUEST && declared == size && length == size;
        if (intact) {
            final long seed = PayloadPattern.seed(connectionId, seq);
            for (int i = SockperfProtocol.HEADER_BYTES; i < length; i++) {
                if (buffer.getByte(i) != PayloadPattern.byteAt(seq, seed, i)) {
                    intact = false;
                    break;
                }
            }
        }
        sink.onReply(seq, intact ? null : ReplyFault.MISMATCH);
    }
}
