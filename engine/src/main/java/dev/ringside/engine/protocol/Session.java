package dev.ringside.engine.protocol;

import dev.ringside.engine.buffer.ByteRing;

/**
 * One connection's protocol state. A session decodes bytes from the inbound ring and writes replies to
 * an {@link Outbound}; it never touches a socket. Called only from the thread that owns the connection.
 */
public interface Session {
    /**
     * Called when the inbound ring holds unread bytes. Consume (with {@link ByteRing#consume}) what can be
     * handled now; bytes left behind are kept and offered again with more data. A session that cannot make
     * progress because its output does not fit simply leaves the input: the connection stops reading until
     * its output drains.
     *
     * @param inbound bytes received and not yet consumed
     * @param out     this connection's output
     * @return the number of messages (frames, lines, requests; for unframed protocols, reads) handled
     */
    int onData(ByteRing inbound, Outbound out);

    /** Called once when the connection is open and ready for output. */
    default void onOpen(final Outbound out) {
    }

    /**
     * Called once when the connection has closed, whatever the reason.
     *
     * @param reason why it closed
     */
    default void onClose(final CloseReason reason) {
    }
}
