package dev.ringside.engine.protocol;

/**
 * A wire protocol: makes one {@link Session} per stream connection and one {@link DatagramHandler} per
 * datagram endpoint.
 */
public interface Protocol {
    /** @return the name users select it by */
    String name();

    /**
     * Creates the state for one new stream connection.
     *
     * @param context the connection's identity
     * @return a new session
     */
    Session newSession(SessionContext context);

    /**
     * Creates the handler for one datagram endpoint.
     *
     * @param localAddress the endpoint's bound address as {@code host:port}
     * @return the handler
     * @throws UnsupportedOperationException when the protocol has no datagram form
     */
    DatagramHandler newDatagramHandler(String localAddress);

    /** @return whether {@link #newDatagramHandler} is supported */
    default boolean supportsDatagrams() {
        return true;
    }

    /**
     * Periodic work the host must run for this protocol (HTTP refreshes its cached {@code Date} header).
     *
     * @return the work, or {@code null} when the protocol needs none
     */
    default ProtocolTimer timer() {
        return null;
    }

    /**
     * Whether every connection must be served by one thread: a chat room is shared by all its members and
     * is not thread-safe on the selector loop, so chat is served by a single loop.
     *
     * @return true when sessions of one protocol instance share state without locking
     */
    default boolean needsSingleThread() {
        return false;
    }
}
