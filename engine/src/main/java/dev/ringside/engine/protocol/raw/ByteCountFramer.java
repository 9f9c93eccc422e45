package dev.ringside.engine.protocol.raw;

import dev.ringside.engine.buffer.ByteRing;

/**
 * A reply is exactly {@code --reply-bytes N} bytes, whatever they are.
 */
public final class ByteCountFramer implements ReplyFramer {
    private final int replyBytes;
    private int remaining;

    /**
     * @param replyBytes the length of every reply, at least 1
     */
    public ByteCountFramer(final int replyBytes) {
        if (replyBytes < 1) {
            throw new IllegalArgumentException("--reply-bytes must be at least 1, not " + replyBytes);
        }
        this.replyBytes = replyBytes;
        this.remaining = replyBytes;
    }

    @Override
    public int next(final ByteRing inbound) {
        final int take = Math.min(remaining, inbound.readableBytes());
        inbound.consume(take);
        remaining -= take;
        if (remaining > 0) {
            return NEED_MORE;
        }
        remaining = replyBytes;
        return REPLY;
    }
}
