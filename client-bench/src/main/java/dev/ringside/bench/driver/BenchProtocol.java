package dev.ringside.bench.driver;

import java.util.Locale;

/**
 * The protocols the generator speaks, with their size rules.
 */
public enum BenchProtocol {
    /** Raw bytes echoed back; every byte verified. TCP and UDP. */
    ECHO("echo", true, 1, 8),
    /** 4-byte big-endian length + payload; the reply is one frame. TCP and UDP. */
    RR("rr", true, 0, 8),
    /** HTTP/1.1 GET with keep-alive; the size does not apply. TCP only. */
    HTTP("http", false, 0, 0),
    /** Newline-delimited lines broadcast to every other member; latency of each delivery. TCP only. */
    CHAT("chat", false, ChatCodec.MIN_LINE_BYTES, 0),
    /** sockperf's 14-byte header (seq, flags, length); every message asks for a reply. TCP and UDP. */
    SOCKPERF("sockperf", true, SockperfCodec.HEADER_BYTES, SockperfCodec.HEADER_BYTES);

    private final String label;
    private final boolean datagrams;
    private final int minSize;
    private final int minDatagramSize;

    BenchProtocol(final String label, final boolean datagrams, final int minSize, final int minDatagramSize) {
        this.label = label;
        this.datagrams = datagrams;
        this.minSize = minSize;
        this.minDatagramSize = minDatagramSize;
    }

    /** @return the name users type */
    public String label() {
        return label;
    }

    /** @return whether it runs over UDP */
    public boolean supportsDatagrams() {
        return datagrams;
    }

    /**
     * @param udp over UDP
     * @return the smallest {@code --size}
     */
    public int minSize(final boolean udp) {
        return udp ? Math.max(minSize, minDatagramSize) : minSize;
    }

    /**
     * Finds a protocol by name.
     *
     * @param name what the user typed
     * @return the protocol
     * @throws IllegalArgumentException naming the known protocols
     */
    public static BenchProtocol parse(final String name) {
        for (final BenchProtocol protocol : values()) {
            if (protocol.label.equals(name.toLowerCase(Locale.ROOT))) {
                return protocol;
            }
        }
        throw new IllegalArgumentException("unknown protocol '" + name + "' (known: echo, rr, http, chat, sockperf)");
    }
}
