package dev.ringside.bench.record;

import dev.ringside.engine.protocol.ReplyFault;


/**
 * The kinds of error a run counts, each under its own key: nothing is dropped silently.
 *
 * <p>A {@link Scope#REQUEST request} kind is one way a request can end, so for the measurement window
 * {@code sent = completed + Σ request kinds + in flight at the end} holds exactly. A {@link Scope#CONNECTION
 * connection} kind counts events that happen to connections (a refused connect, a close by the server); the
 * requests in flight on a connection that closes end as {@link #CLOSED_IN_FLIGHT}.
 */
public enum ErrorKind {
    /** The target refused the connection. */
    CONNECT_REFUSED("connectRefused", "connect refused", Scope.CONNECTION),
    /** The connection did not complete within the connect timeout. */
    CONNECT_TIMEOUT("connectTimeout", "connect timed out", Scope.CONNECTION),
    /** The connection failed for another reason (for example no free source port). */
    CONNECT_FAILED("connectFailed", "connect failed", Scope.CONNECTION),
    /** The peer reset an established connection (or another I/O error broke it). */
    RESET("reset", "reset by peer", Scope.CONNECTION),
    /** The peer closed an established connection. */
    CLOSED_BY_PEER("closedByPeer", "closed by peer", Scope.CONNECTION),
    /** A reply that cannot be parsed (bad framing, unsolicited bytes); the connection is closed. */
    PROTOCOL("protocol", "protocol error", Scope.CONNECTION),
    /** A reply's bytes differed from what was expected (payload pattern, sequence, header). */
    VERIFICATION("verification", "verification failed", Scope.REQUEST),
    /** A TCP reply had not arrived within the response timeout; a reply that comes later is only "late". */
    RESPONSE_TIMEOUT("responseTimeout", "response timeout", Scope.REQUEST),
    /** An HTTP response with a status outside 200..299. */
    HTTP_NON_2XX("httpNon2xx", "HTTP non-2xx", Scope.REQUEST),
    /** A reply in which the server reports an error of its own (RESP {@code -ERR}, memcached {@code ERROR}). */
    ERROR_REPLY("errorReply", "error reply", Scope.REQUEST),
    /** A UDP request whose reply did not arrive within the response timeout. */
    UDP_LOSS("udpLoss", "UDP loss", Scope.REQUEST),
    /** A request still unanswered when its connection closed (whatever closed it). */
    CLOSED_IN_FLIGHT("closedInFlight", "in flight when its connection closed", Scope.REQUEST),
    /** A datagram the socket would not take (send buffer full): never sent, so never answered. */
    SEND_FAILED("sendFailed", "send failed", Scope.REQUEST);

    /** What an error kind counts. */
    public enum Scope {
        /** Requests that ended this way (measurement window only). */
        REQUEST,
        /** Events on connections (whole run). */
        CONNECTION
    }

    private final String key;
    private final String label;
    private final Scope scope;

    ErrorKind(final String key, final String label, final Scope scope) {
        this.key = key;
        this.label = label;
        this.scope = scope;
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

    /** @return whether it ends a request or counts a connection event */
    public Scope scope() {
        return scope;
    }

    /** @return whether it is one way a request ends */
    public boolean endsRequest() {
        return scope == Scope.REQUEST;
    }
}
