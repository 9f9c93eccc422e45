package dev.ringside.bench.record;

import dev.ringside.engine.protocol.ReplyFault;


/**
 * The kinds of error a run counts, each under its own key: nothing is dropped silently.
 */
public enum ErrorKind {
    /** The target refused the connection. */
    CONNECT_REFUSED("connectRefused", "connect refused"),
    /** The connection did not complete within the connect timeout. */
    CONNECT_TIMEOUT("connectTimeout", "connect timed out"),
    /** The connection failed for another reason (for example no free source port). */
    CONNECT_FAILED("connectFailed", "connect failed"),
    /** The peer reset an established connection (or another I/O error broke it). */
    RESET("reset", "reset by peer"),
    /** The peer closed an established connection. */
    CLOSED_BY_PEER("closedByPeer", "closed by peer"),
    /** A reply's bytes differed from what was expected (payload pattern, sequence, header). */
    VERIFICATION("verification", "verification failed"),
    /** A TCP reply had not arrived within the response timeout (counted once per request). */
    RESPONSE_TIMEOUT("responseTimeout", "response timeout"),
    /** An HTTP response with a status outside 200..299. */
    HTTP_NON_2XX("httpNon2xx", "HTTP non-2xx"),
    /** A reply in which the server reports an error of its own (RESP {@code -ERR}, memcached {@code ERROR}). */
    ERROR_REPLY("errorReply", "error reply"),
    /** A UDP request whose reply did not arrive within the response timeout. */
    UDP_LOSS("udpLoss", "UDP loss"),
    /** A reply that cannot be parsed (bad framing, unsolicited bytes); the connection is closed. */
    PROTOCOL("protocol", "protocol error"),
    /** A datagram the socket would not take (send buffer full): never sent, so never answered. */
    SEND_FAILED("sendFailed", "send failed");

    private final String key;

    private final String label;

    ErrorKind(final String key, final String label) {
        this.key = key;
        this.label = label;
    }

    /**
     * The error a codec's reply fault counts as.
     *
     * @param fault what the codec found, or {@code null}
     * @return the error kind, or {@code null} for a correct reply
     */
    public static ErrorKind of(final ReplyFault fault) {
        if (fault == null) {
            return null;
        }
        return switch (fault) {
            case MISMATCH -> VERIFICATION;
            case REJECTED_STATUS -> HTTP_NON_2XX;
            case ERROR_REPLY -> ERROR_REPLY;
        };
    }

    /** @return the JSON key under {@code errors} */
    public String key() {
        return key;
    }

    /** @return a short human-readable description */
    public String label() {
        return label;
    }
}
