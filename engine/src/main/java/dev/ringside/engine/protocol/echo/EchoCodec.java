package dev.ringside.engine.protocol.echo;

import java.nio.ByteOrder;

import dev.ringside.engine.buffer.ByteRing;
import dev.ringside.engine.protocol.ClientCodec;
import dev.ringside.engine.protocol.PayloadPattern;
import dev.ringside.engine.protocol.ReplyFault;
import dev.ringside.engine.protocol.ReplySink;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Echo: a request is {@code size} bytes of {@link PayloadPattern}; the reply must be the same bytes. Over
 * TCP the replies arrive in order and may be split anywhere, so each byte is checked as it arrives against
 * the message expected next; over UDP the datagram carries its sequence number in its first 8 bytes.
 *
 * <p>Without verification ({@code --no-verify}) a TCP reply is only counted by its length: that prices the
 * byte checks in a generator-ceiling run, and a damaged echo then goes unnoticed.
 */
public final class EchoCodec implements ClientCodec {
    private final int connectionId;
    private final int size;
    private final boolean verify;
    private long expectSeq;
    private long expectSeed;
    private int offset;
    private boolean damaged;

    /**
     * A codec that verifies every echoed byte.
     *
     * @param connectionId the connection's global index (its messages' pattern)
     * @param size         message size in bytes
     */
    public EchoCodec(final int connectionId, final int size) {
        this(connectionId, size, true);
    }

    /**
     * @param connectionId the connection's global index (its messages' pattern)
     * @param size         message size in bytes
     * @param verify       whether each echoed byte is checked (otherwise a reply is counted by its length)
     */
    public EchoCodec(final int connectionId, final int size, final boolean verify) {
        this.connectionId = connectionId;
        this.size = size;
        this.verify = verify;
        this.expectSeed = PayloadPattern.seed(connectionId, 0);
    }

    @Override
    public int maxRequestBytes() {
        return size;
    }

    @Override
    public int encode(final MutableDirectBuffer buffer, final long seq, final long intendedNs, final long sentNs) {
        PayloadPattern.fill(buffer, 0, size, seq, PayloadPattern.seed(connectionId, seq), 0);
        return size;
    }

    @Override
    public int decode(final ByteRing inbound, final ReplySink sink) {
        if (!verify) {
            return count(inbound, sink);
        }
        final int readable = inbound.readableBytes();
        long position = inbound.readPosition();
        int remaining = readable;
        int replies = 0;
        while (remaining > 0) {
            // The rest of the message expected next, checked a word at a time where its words are whole.
            final int chunk = Math.min(remaining, size - offset);
            if (!PayloadPattern.matches(inbound, position, chunk, expectSeq, expectSeed, offset)) {
                damaged = true;
            }
            position += chunk;
            remaining -= chunk;
            offset += chunk;
            if (offset == size) {
                replies++;
                final boolean more = sink.onReply(expectSeq, damaged ? ReplyFault.MISMATCH : null);
                expectSeq++;
                expectSeed = PayloadPattern.seed(connectionId, expectSeq);
                offset = 0;
                damaged = false;
                if (!more) {
                    inbound.consume(readable - remaining);
                    return MALFORMED;
                }
            }
        }
        inbound.consume(readable);
        return replies;
    }

    /** Without verification: whole replies by length alone. */
    private int count(final ByteRing inbound, final ReplySink sink) {
        final int readable = inbound.readableBytes();
        int replies = 0;
        int remaining = readable;
        while (remaining >= size - offset) {
            remaining -= size - offset;
            offset = 0;
            replies++;
            if (!sink.onReply(expectSeq++, null)) {
                inbound.consume(readable - remaining);
                return MALFORMED;
            }
        }
        offset += remaining;
        inbound.consume(readable);
        return replies;
    }

    @Override
    public void decodeDatagram(final DirectBuffer buffer, final int length, final ReplySink sink) {
        if (length < Long.BYTES) {
            sink.onReply(ReplySink.UNKNOWN, ReplyFault.MISMATCH);
            return;
        }
        final long seq = buffer.getLong(0, ByteOrder.BIG_ENDIAN);
        final boolean intact = PayloadPattern.verify(buffer, 0, length, seq, connectionId, size);
        sink.onReply(seq, intact ? null : ReplyFault.MISMATCH);
    }
}
