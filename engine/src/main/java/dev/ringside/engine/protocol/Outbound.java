package dev.ringside.engine.protocol;

import dev.ringside.engine.buffer.ByteRing;
import org.agrona.DirectBuffer;

/**
 * Where a session's output goes: one connection's outbound bytes. Writes are all-or-nothing and never
 * block; a write that does not fit returns false and the session applies its protocol's policy (for
 * chat, disconnect the slow subscriber).
 */
public interface Outbound {
    /** @return whether the connection still accepts output */
    boolean isOpen();

    /** @return bytes that a write may append right now (0 when closed or out of buffer memory) */
    int writableBytes();

    /**
     * Appends one message.
     *
     * @param src    source
     * @param offset offset in source
     * @param length byte count
     * @return false, with nothing written, when it does not fit
     */
    boolean write(DirectBuffer src, int offset, int length);

    /**
     * Appends one message held in a ring (typically the inbound ring), without consuming it there.
     *
     * @param src      source ring
     * @param position absolute position of the first byte
     * @param length   byte count
     * @return false, with nothing written, when it does not fit
     */
    boolean write(ByteRing src, long position, int length);

    /**
     * Closes the connection now, discarding unsent output, counted under {@code reason}.
     *
     * @param reason why
     */
    void close(CloseReason reason);

    /** Stops reading and closes once all output written so far has been sent, counted as a local close. */
    default void closeAfterFlush() {
        closeAfterFlush(CloseReason.LOCAL_CLOSE);
    }

    /**
     * Stops reading and closes once all output written so far has been sent (an error reply goes out
     * first), counted under {@code reason}.
     *
     * @param reason why, for the counters
     */
    void closeAfterFlush(CloseReason reason);
}
