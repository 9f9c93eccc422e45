package dev.ringside.engine.protocol.raw;

import dev.ringside.engine.buffer.ByteRing;

/**
 * The shape shared by the framers of typed replies (RESP, memcached): a state machine fed one byte at a time,
 * which, when a reply announces a payload's length, skips that many bytes in bulk without looking at them.
 * Feeding byte by byte keeps the state in fields, so any split of the stream frames alike and nothing stays
 * in the ring between reads.
 */
public abstract class ByteStateFramer implements ReplyFramer {
    private long skipBytes;

    @Override
    public final int next(final ByteRing inbound) {
        while (!inbound.isEmpty()) {
            if (skipBytes > 0) {
                final int take = (int) Math.min(skipBytes, inbound.readableBytes());
                inbound.consume(take);
                skipBytes -= take;
                continue;
            }
            final byte b = inbound.getByte(inbound.readPosition());
            inbound.consume(1);
            final int result = onByte(b);
            if (result != NEED_MORE) {
                return result;
            }
        }
        return NEED_MORE;
    }

    /**
     * Skips a payload: the next {@code bytes} bytes are consumed unseen before {@link #onByte} sees more.
     *
     * @param bytes the payload's length
     */
    protected final void skip(final long bytes) {
        skipBytes = bytes;
    }

    /**
     * @param b the next byte of the stream
     * @return {@link #NEED_MORE} to go on, else the outcome that ends this call
     */
    protected abstract int onByte(byte b);
}
