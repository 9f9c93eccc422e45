package dev.ringside.engine.protocol;

/**
 * How a protocol's client measures: a reply per request, or lines broadcast to every other member.
 */
public enum Exchange {
    /** Each request gets one reply on the connection that sent it; latency is per reply. */
    REQUEST_REPLY,
    /**
     * Some connections publish, every member receives every other member's lines, and latency is per
     * delivery (chat). There is nothing to wait for, so only open loop makes sense.
     */
    BROADCAST
}
