package dev.ringside.bench.record;

/**
 * The figures each load-generator thread counts besides errors. "Measured" figures cover requests whose
 * intended send time falls in the measurement window; warm-up figures only drive the progress line. Every
 * measured request ends in exactly one of {@link #COMPLETED}, a request {@link ErrorKind}, or
 * {@link #IN_FLIGHT_AT_END}.
 */
public enum LoadCounter {
    /** Measured requests (or chat lines) sent. */
    SENT,
    /** Measured requests answered correctly (for chat: deliveries of measured lines). */
    COMPLETED,
    /** Measured requests still unanswered, and not yet past their timeout, when the run ended. */
    IN_FLIGHT_AT_END,
    /** Warm-up requests sent. */
    WARMUP_SENT,
    /** Warm-up requests answered correctly. */
    WARMUP_COMPLETED,
    /** Warm-up requests that ended in an error (kept apart so that errors cover the window only). */
    WARMUP_FAILED,
    /** Requests sent and not yet answered, timed out or abandoned, of either phase (a gauge). */
    IN_FLIGHT,
    /** Connections (or UDP sockets) open now (a gauge). */
    CONNECTIONS_OPEN,
    /** Connections that were established at some point. */
    CONNECTIONS_ESTABLISHED,
    /** Connection attempts that finished, established or failed. */
    CONNECTS_RESOLVED,
    /** UDP replies that arrived after a reply to a later request. */
    UDP_REORDERED,
    /** Replies to requests that had already ended (timed out, counted lost), or twice. */
    LATE_REPLIES,
    /** UDP replies too damaged to say which request they answer (the request itself ends lost or late). */
    UNMATCHED_REPLIES,
    /** Chat lines from a publisher that did not follow the previous one from it (a gap or a repeat). */
    CHAT_OUT_OF_ORDER,
    /** Chat lines that do not look like a generator's line at all (ignored). */
    CHAT_FOREIGN_LINES,
    /** Measured replies with a 1xx status (HTTP 101). */
    STATUS_1XX,
    /** Measured replies with a 2xx status. */
    STATUS_2XX,
    /** Measured replies with a 3xx status. */
    STATUS_3XX,
    /** Measured replies with a 4xx status. */
    STATUS_4XX,
    /** Measured replies with a 5xx status. */
    STATUS_5XX,
    /**
     * Attempts to reopen a connection the generator did not close itself: after the server closed or reset it,
     * or after an attempt failed (whole run; a planned close after {@code --requests-per-connection} is not
     * one).
     */
    RECONNECTS,
    /** Connections established, first or reopened (whole run: the progress line's connections per second). */
    CONNECTIONS_OPENED,
    /** Connections established from the start of the measurement window to the end of the run (its drain too). */
    CONNECTIONS_OPENED_MEASURED
}
