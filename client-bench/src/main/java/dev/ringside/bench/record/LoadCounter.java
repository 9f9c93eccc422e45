package dev.ringside.bench.record;

/**
 * The figures each load-generator thread counts besides errors. "Measured" figures cover messages whose
 * intended send time falls in the measurement window; warm-up figures only drive the progress line.
 */
public enum LoadCounter {
    /** Measured requests (or chat lines) sent. */
    SENT,
    /** Replies to measured requests received (for chat: deliveries of measured lines). */
    COMPLETED,
    /** Warm-up requests sent. */
    WARMUP_SENT,
    /** Replies to warm-up requests received. */
    WARMUP_COMPLETED,
    /** Requests sent and not yet answered, timed out or abandoned (a gauge). */
    IN_FLIGHT,
    /** Connections (or UDP sockets) open now (a gauge). */
    CONNECTIONS_OPEN,
    /** Connections that were established at some point. */
    CONNECTIONS_ESTABLISHED,
    /** Connection attempts that finished, established or failed. */
    CONNECTS_RESOLVED,
    /** UDP replies that arrived after a reply to a later request. */
    UDP_REORDERED,
    /** UDP replies that arrived after their request was counted lost, or twice. */
    UDP_LATE,
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
    STATUS_5XX
}
