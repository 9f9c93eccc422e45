package dev.ringside.engine.protocol;

import java.util.List;

/**
 * Creates protocols by the name users type.
 */
public final class ProtocolFactory {
    /** Names accepted by {@link #create}, in the order help text lists them. */
    public static final List<String> NAMES = List.of("echo", "discard", "chat", "rr", "http", "sockperf");

    private ProtocolFactory() {
    }

    /**
     * Creates a protocol.
     *
     * @param name    one of {@link #NAMES}
     * @param options settings
     * @return the protocol
     * @throws IllegalArgumentException naming the known protocols when {@code name} is unknown
     */
    public static Protocol create(final String name, final ProtocolOptions options) {
        switch (name) {
            case "echo":
                return new EchoProtocol();
            case "discard":
                return new DiscardProtocol(options.printer());
            case "chat":
                return new ChatProtocol(options);
            case "rr":
                return new RrProtocol(options);
            case "http":
                return new HttpProtocol(options);
            case "sockperf":
                return new SockperfProtocol(options);
            default:
                throw new IllegalArgumentException(
                    "unknown protocol '" + name + "' (known: " + String.join(", ", NAMES) + ")");
        }
    }
}
