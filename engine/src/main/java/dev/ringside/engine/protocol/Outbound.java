package dev.ringside.engine.protocol;

import dev.ringside.engine.buffer.BroadcastReader;
import dev.ringside.engine.buffer.ByteRing;
import org.agrona.DirectBuffer;

/**
 * Where a session's output goes: one connection's outbound bytes. Writes are all-or-nothing and never
 * block; a write that does not fit returns false and the session applies its protocol's policy (for
 * chat, disconnect the slow subscriber).
 *
 * <p>Besides its own output a connection can <em>follow</em> a {@link BroadcastReader}: records of a shared
 * {@link dev.ringside.engine.buffer.BroadcastRing} (a chat room's) that it sends from the ring itself, after its own
 * output, moving the reader as the socket takes them. The ring's writer wakes it ({@link #onBroadcast()}) and, when
 * it needs room, asks how far it got ({@link #catchUp()}); the connection never sends a byte of the ring again
 * once {@link #close} has returned, so the writer may then reuse what the reader held.
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
     * Sends, after this connection's own output and for the rest of its life, what {@code reader} finds for it.
     *
     * @param reader a reader of a broadcast ring, moved only by this connection from now on
     */
    void follow(BroadcastReader reader);

    /**
     * The followed ring has a new record for this connection: send it soon (the selector loop at the end of its
     * cycle, a blocking model on the connection's writer thread). Called by the ring's writer; counts a message out.
     */
    void onBroadcast();

    /**
     * Called by the ring's writer when it needs room: passes over records not for this connection and, where that
     * cannot block (the selector loop), sends what the socket takes now.
     *
     * @return the followed reader's position: the ring must not overwrite bytes from there on
     */
    long catchUp();

    /**
     * Closes the connection now, discarding unsent output, counted under {@code reason}. When it returns, no thread
     * sends from a followed ring on this connection's behalf any more.
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
