package dev.ringside.engine.protocol;

/**
 * What the generator's {@code --size} means for a protocol and which values it accepts.
 *
 * @param applies     whether {@code --size} shapes the request at all (HTTP requests come from their own options)
 * @param covers      what the size counts, for help text ("payload", "line", ...)
 * @param minTcp      smallest size over TCP
 * @param minUdp      smallest size over UDP (a datagram reply carries its sequence number in the payload)
 * @param maxTcp      largest size over TCP
 * @param headerBytes bytes the protocol adds to the size on the wire (rr's 4-byte length), counted against a
 *                    datagram's limit
 * @param wholeInRing whether a server must hold a whole request in one connection ring (a framed message)
 */
public record SizeRule(boolean applies, String covers, int minTcp, int minUdp, int maxTcp, int headerBytes,
    boolean wholeInRing) {
    /** Largest TCP message the generator writes. */
    public static final int MAX_TCP_BYTES = 1024 * 1024;
    /** Largest UDP payload. */
    public static final int MAX_UDP_BYTES = 65_507;

    /** @return the rule of a protocol whose requests ignore {@code --size} */
    public static SizeRule none() {
        return new SizeRule(false, "", 0, 0, 0, 0, false);
    }

    /**
     * @param udp over UDP
     * @return the smallest size
     */
    public int min(final boolean udp) {
        return udp ? minUdp : minTcp;
    }

    /**
     * @param udp over UDP
     * @return the largest size
     */
    public int max(final boolean udp) {
        return udp ? Math.min(maxTcp, MAX_UDP_BYTES - headerBytes) : maxTcp;
    }
}
