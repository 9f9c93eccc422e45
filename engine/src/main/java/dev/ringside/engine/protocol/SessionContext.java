package dev.ringside.engine.protocol;

/**
 * What a session may know about its connection, fixed when the connection opens.
 *
 * @param connectionId   loop-unique id of the connection
 * @param remoteAddress  the peer as {@code host:port}
 * @param localAddress   the local end as {@code host:port}
 */
public record SessionContext(long connectionId, String remoteAddress, String localAddress) {
}
