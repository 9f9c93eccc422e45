package dev.ringside.engine.protocol.rr;

import java.nio.ByteOrder;

import dev.ringside.engine.buffer.ByteRing;
import dev.ringside.engine.protocol.ClientCodec;
import dev.ringside.engine.protocol.PayloadPattern;
import dev.ringside.engine.protocol.ReplyFault;
import dev.ringside.engine.protocol.ReplySink;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Request/response (netperf {@code TCP_RR} style): a request is a 4-byte big-endian length and {@code size}
 * bytes of {@link PayloadPattern}; a reply is one frame of the same form. When the reply has the request's
 * length (the server's default: an echo of the frame) every payload byte is verified; a server configured
 * with another {@code --response-size} can only be checked for framing, since the generator cannot know
 * what it fills the reply with. Over UDP one datagram is one frame.
 */
public final class RrCodec implements ClientCodec {
    /** Longest reply frame accepted; anything longer is taken for a broken stream. */
    public static final int MAX_REPLY_BYTES = 64 * 1024 * 1024;

    private final int connectionId;
    private final int size;
    private long expectSeq;
    private long expectSeed;
    private int remaining = -1;
    private int offset;
    private boolean checkPayload;
    private boolean damaged;

    public RrCodec(final int connectionId, final int size) {
        this.connectionId = connectionId;
        this.size = size;
    }

    @Override
    public int maxRequestBytes() {
        return RrProtocol.HEADER_BYTES + size;
    }

    @Override
    public int encode(final MutableDirectBuffer buffer, final long seq, final long intendedNs, final long sentNs) {
        buffer.putInt(0, size, ByteOrder.BIG_ENDIAN);
        PayloadPattern.fill(buffer, RrProtocol.HEADER_BYTES, size, seq, PayloadPattern.seed(connectionId, seq), 0);
        return RrProtocol.HEADER_BYTES + size;
    }

    @Override
    public int decode(final ByteRing inbound, final ReplySink sink) {
        int replies = 0;
        while (true) {
            if (remaining < 0) {
                if (inbound.readableBytes() < RrProtocol.HEADER_BYTES) {
                    return replies;
                }
                final int length = inbound.getIntBigEndian(inbound.readPosition());
                if (length < 0 || length > MAX_REPLY_BYTES) {
                    return MALFORMED;
                }
                inbound.consume(RrProtocol.HEADER_BYTES);
                remaining = length;
                offset = 0;
                checkPayload = length == size;
                damaged = false;
                expectSeed = PayloadPattern.seed(connectionId, expectSeq);
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

    @Override
    public void decodeDatagram(final DirectBuffer buffer, final int length, final ReplySink sink) {
        if (length < RrProtocol.HEADER_BYTES || buffer.getInt(0,
            ByteOrder.BIG_ENDIAN) != length - RrProtocol.HEADER_BYTES) {
            sink.onReply(ReplySink.OLDEST, ReplyFault.MISMATCH);
            return;
        }
        final int payload = length - RrProtocol.HEADER_BYTES;
        if (payload != size || size < Long.BYTES) {
            // Not an echo of the request: it carries no sequence number, so it answers the oldest request.
            sink.onReply(ReplySink.OLDEST, null);
            return;
        }
        final long seq = buffer.getLong(RrProtocol.HEADER_BYTES, ByteOrder.BIG_ENDIAN);
        sink.onReply(seq, PayloadPattern.verify(buffer, RrProtocol.HEADER_BYTES, payload, seq, connectionId, size)
            ? null : ReplyFault.MISMATCH);
    }
}
