package dev.ringside.engine.endpoint;

import dev.ringside.engine.protocol.CloseReason;


/**
 * Hears about a connection's life: used by the load generator to track its clients and by tests.
 */
public interface ConnectionListener {
    /** Hears nothing. */
    ConnectionListener NONE = new ConnectionListener() {
    };

    /**
     * The connection is established (accepted, or an outbound connect completed).
     *
     * @param connection the connection
     */
    default void onConnected(final TcpConnection connection) {
    }

    /**
     * The connection closed; called once.
     *
     * @param connection the connection
     * @param reason     why
     */
    default void onClosed(final TcpConnection connection, final CloseReason reason) {
    }
}
