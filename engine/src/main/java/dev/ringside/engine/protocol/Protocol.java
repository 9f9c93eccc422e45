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
     * THE shared-state property: whether the sessions of one protocol instance share state (chat's room of
     * members) that they touch without locks. Every host reads this one answer: the selector server keeps such
     * a protocol on one loop, the blocking models call its sessions one at a time under one lock
     * ({@code SessionLock}), and the process model refuses more than one worker (processes share no memory).
     *
     * @return true when sessions share state
     */
    default boolean sharesState() {
        return false;
    }

    /**
     * Whether sessions write output of their own to their connection. Chat's do not: every byte a member receives
     * is sent from its room's broadcast ring ({@link Outbound#follow}). A blocking host then leases no output ring
     * for the connection and reserves none when admitting it, so a room fits many more members in the pool.
     *
     * @return false only when sessions never call {@link Outbound#write}
     */
    default boolean writesOwnOutput() {
        return true;
    }
}
