package dev.ringside.bench.record;

import java.util.ArrayList;
import java.util.List;

import dev.ringside.engine.protocol.ReplyFault;
import dev.ringside.engine.protocols.Protocols;

/**
 * The kinds of error a run counts, each under its own key: nothing is dropped silently.
 *
 * <p>The generator's own kinds (connections, timeouts, loss) are constants here; every other kind is a
 * {@link ReplyFault} a protocol package declares and lists in its spec, read from the registry
 * ({@link Protocols#faults()}). So a protocol with an error of its own adds no line here, and every report (text,
 * JSON, HTML, interval logs and their merge) lists it because it iterates {@link #values()}.
 *
 * <p>A {@link Scope#REQUEST request} kind is one way a request can end, so for the measurement window
 * {@code sent = completed + Σ request kinds + in flight at the end} holds exactly. A {@link Scope#CONNECTION
 * connection} kind counts events that happen to connections (a refused connect, a close by the server); the
 * requests in flight on a connection that closes end as {@link #CLOSED_IN_FLIGHT}.
 */
public final class ErrorKind {
    /** What an error kind counts. */
    public enum Scope {
        /** Requests that ended this way (measurement window only). */
        REQUEST,
        /** Events on connections (whole run). */
        CONNECTION
    }

    /** The target refused the connection. */
    public static final ErrorKind CONNECT_REFUSED = own("connectRefused", "connect refused", Scope.CONNECTION);
    /** The connection did not complete within the connect timeout. */
    public static final ErrorKind CONNECT_TIMEOUT = own("connectTimeout", "connect timed out", Scope.CONNECTION);
    /** The connection failed for another reason (for example no free source port). */
    public static final ErrorKind CONNECT_FAILED = own("connectFailed", "connect failed", Scope.CONNECTION);
    /** The peer reset an established connection (or another I/O error broke it). */
    public static final ErrorKind RESET = own("reset", "reset by peer", Scope.CONNECTION);
    /** The peer closed an established connection. */
    public static final ErrorKind CLOSED_BY_PEER = own("closedByPeer", "closed by peer", Scope.CONNECTION);
    /** A reply that cannot be parsed (bad framing, unsolicited bytes); the connection is closed. */
    public static final ErrorKind PROTOCOL = own("protocol", "protocol error", Scope.CONNECTION);
    /** A reply's bytes differed from what was expected (payload pattern, sequence, header). */
    public static final ErrorKind VERIFICATION = fromFault(ReplyFault.MISMATCH);
    /** A TCP reply had not arrived within the response timeout; a reply that comes later is only "late". */
    public static final ErrorKind RESPONSE_TIMEOUT = own("responseTimeout", "response timeout", Scope.REQUEST);
    /** A UDP request whose reply did not arrive within the response timeout. */
    public static final ErrorKind UDP_LOSS = own("udpLoss", "UDP loss", Scope.REQUEST);
    /** A request still unanswered when its connection closed (whatever closed it). */
    public static final ErrorKind CLOSED_IN_FLIGHT = own("closedInFlight", "in flight when its connection closed",
        Scope.REQUEST);
    /** A datagram the socket would not take (send buffer full): never sent, so never answered. */
    public static final ErrorKind SEND_FAILED = own("sendFailed", "send failed", Scope.REQUEST);

    private static final List<ErrorKind> VALUES;
    /** The kind of each registered fault, by {@link ReplyFault#id()}: an array, since replies look it up. */
    private static final ErrorKind[] BY_FAULT;

    static {
        // Connection kinds, then verification and timeouts, then the protocols' own kinds in registry order,
        // then the generator's other request kinds: the order every report lists them in.
        final List<ErrorKind> all = new ArrayList<>(List.of(CONNECT_REFUSED, CONNECT_TIMEOUT, CONNECT_FAILED, RESET,
            CLOSED_BY_PEER, PROTOCOL, VERIFICATION, RESPONSE_TIMEOUT));
        final List<ReplyFault> faults = Protocols.faults();
        int maxId = 0;
        for (final ReplyFault fault : faults) {
            maxId = Math.max(maxId, fault.id());
        }
        BY_FAULT = new ErrorKind[maxId + 1];
        BY_FAULT[ReplyFault.MISMATCH.id()] = VERIFICATION;
        for (final ReplyFault fault : faults) {
            if (fault != ReplyFault.MISMATCH) {
                final ErrorKind kind = fromFault(fault);
                BY_FAULT[fault.id()] = kind;
                all.add(kind);
            }
        }
        all.addAll(List.of(UDP_LOSS, CLOSED_IN_FLIGHT, SEND_FAILED));
        for (int i = 0; i < all.size(); i++) {
            all.get(i).index = i;
        }
        VALUES = List.copyOf(all);
    }

    private final String key;
    private final String label;
    private final Scope scope;
    private final boolean replyFault;
    private final boolean answers;
    private int index;

    private ErrorKind(final String key, final String label, final Scope scope, final boolean replyFault,
        final boolean answers) {
        this.key = key;
        this.label = label;
        this.scope = scope;
        this.replyFault = replyFault;
        this.answers = answers;
    }

    private static ErrorKind own(final String key, final String label, final Scope scope) {
        return new ErrorKind(key, label, scope, false, false);
    }

    /** A fault ends its request: the reply came, and it was wrong. */
    private static ErrorKind fromFault(final ReplyFault fault) {
        return new ErrorKind(fault.key(), fault.label(), Scope.REQUEST, true, fault.answers());
    }

    /** @return every kind, in the order reports list them; {@link #index()} is the position here */
    public static List<ErrorKind> values() {
        return VALUES;
    }

    /**
     * The error a codec's reply fault counts as. Allocation-free: replies call it.
     *
     * @param fault what the codec found, or {@code null}
     * @return the error kind, or {@code null} for a correct reply
     * @throws IllegalArgumentException for a fault no registered protocol declares
     */
    public static ErrorKind of(final ReplyFault fault) {
        if (fault == null) {
            return null;
        }
        final ErrorKind kind = fault.id() < BY_FAULT.length ? BY_FAULT[fault.id()] : null;
        if (kind == null) {
            throw new IllegalArgumentException("reply fault '" + fault.key() + "' is not declared by a protocol in "
                + "the registry (list it in its ProtocolSpec's faults)");
        }
        return kind;
    }

    /**
     * @param key a JSON or interval-log key
     * @return the kind with that key, or {@code null}
     */
    public static ErrorKind byKey(final String key) {
        for (final ErrorKind kind : VALUES) {
            if (kind.key.equals(key)) {
                return kind;
            }
        }
        return null;
    }

    /** @return its position in {@link #values()}: an array index for counters */
    public int index() {
        return index;
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

    /** @return whether a codec reported it about a reply (verification, or a protocol's own fault) */
    public boolean isReplyFault() {
        return replyFault;
    }

    /**
     * @return whether a reply came that answers its request (its latency is recorded) though the request ends as
     *         this error: an HTTP status the run does not accept, a server's own error reply
     */
    public boolean answersRequest() {
        return answers;
    }

    @Override
    public String toString() {
        return key;
    }
}
