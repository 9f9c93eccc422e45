package dev.ringside.bench.driver;

import java.nio.ByteOrder;

import dev.ringside.bench.record.ErrorKind;
import dev.ringside.engine.buffer.ByteRing;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Request/response (netperf {@code TCP_RR} style): a request is a 4-byte big-endian length and {@code size}
 * bytes of {@link PayloadPattern}; a reply is one frame of the same form. When the reply has the request's
 * length (the server's default: an echo of the frame) every payload byte is verified; a server configured
 * with another {@code --response-size} can only be checked for framing, since the generator cannot know
 * what it fills the reply with. Over UDP one datagram is one frame.
 */
final class RrCodec implements WireCodec {
    /** Length prefix size. */
    static final int LENGTH_BYTES = 4;
    /** Longest reply frame accepted; anything longer is taken for a broken stream. */
    static final int MAX_REPLY_BYTES = 64 * 1024 * 1024;

    private final int connectionId;
    private final int size;
    private long expectSeq;
    private long expectSeed;
    private int remaining = -1;
    private int offset;
    private boolean checkPayload;
    private boolean damaged;

    RrCodec(final int connectionId, final int size) {
        this.connectionId = connectionId;
        this.size = size;
    }

    @Override
    public int maxRequestBytes() {
        return LENGTH_BYTES + size;
    }

    @Override
    public int encode(final MutableDirectBuffer buffer, final long seq, final long intendedNs, final long sentNs) {
        buffer.putInt(0, size, ByteOrder.BIG_ENDIAN);
        PayloadPattern.fill(buffer, LENGTH_BYTES, size, seq, PayloadPattern.seed(connectionId, seq), 0);
        return LENGTH_BYTES + size;
    }

    @Override
    public int decode(final ByteRing inbound, final ReplySink sink) {
        int replies = 0;
        while (true) {
            if (remaining < 0) {
                if (inbound.readableBytes() < LENGTH_BYTES) {
                    return replies;
                }
                final int length = inbound.getIntBigEndian(inbound.readPosition());
                if (length < 0 || length > MAX_REPLY_BYTES) {
                    return MALFORMED;
                }
                inbound.consume(LENGTH_BYTES);
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
            final boolean more = sink.onReply(expectSeq, damaged ? ErrorKind.VERIFICATION : null);
            expectSeq++;
            if (!more) {
                return MALFORMED;
            }
        }
    }

    @Override
    public void decodeDatagram(final DirectBuffer buffer, final int length, final ReplySink sink) {
        if (length < LENGTH_BYTES || buffer.getInt(0, ByteOrder.BIG_ENDIAN) != length - LENGTH_BYTES) {
            sink.onReply(ReplySink.OLDEST, ErrorKind.VERIFICATION);
            return;
        }
        final int payload = length - LENGTH_BYTES;
        if (payload != size || size < Long.BYTES) {
            // Not an echo of the request: it carries no sequence number, so it answers the oldest request.
            sink.onReply(ReplySink.OLDEST, null);
            return;
        }
        final long seq = buffer.getLong(LENGTH_BYTES, ByteOrder.BIG_ENDIAN);
        sink.onReply(seq, EchoCodec.verify(buffer, LENGTH_BYTES, payload, seq, connectionId, size)
            ? null : ErrorKind.VERIFICATION);
    }
}
