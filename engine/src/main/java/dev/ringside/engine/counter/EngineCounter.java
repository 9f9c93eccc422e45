package dev.ringside.engine.counter;


/**
 * The counters every event loop keeps. The id is the counter's Agrona type id: stable across releases so
 * readers of an older file still understand it (as Aeron's {@code SystemCounterDescriptor}).
 */
public enum EngineCounter {
    /** Stream connections open now (a gauge). */
    CONNECTIONS_OPEN(1, "connections open"),
    /** Connections accepted by listeners. */
    CONNECTIONS_ACCEPTED(2, "connections accepted"),
    /** Outbound connections established. */
    CONNECTIONS_CONNECTED(3, "connections connected"),
    /** Connections closed, for any reason. */
    CONNECTIONS_CLOSED(4, "connections closed"),
    /** Accepted connections closed at once because {@code maxConnections} was reached. */
    CONNECTIONS_REJECTED(5, "connections rejected (max connections)"),
    /** Bytes read from stream sockets. */
    BYTES_IN(6, "bytes in"),
    /** Bytes written to stream sockets. */
    BYTES_OUT(7, "bytes out"),
    /** Messages decoded from streams (frames, lines, requests; for echo and discard: reads). */
    MESSAGES_IN(8, "messages in"),
    /** Messages written to streams. */
    MESSAGES_OUT(9, "messages out"),
    /** Datagrams received. */
    DATAGRAMS_IN(10, "datagrams in"),
    /** Datagrams sent. */
    DATAGRAMS_OUT(11, "datagrams out"),
    /** Datagram bytes received. */
    DATAGRAM_BYTES_IN(12, "datagram bytes in"),
    /** Datagram bytes sent. */
    DATAGRAM_BYTES_OUT(13, "datagram bytes out"),
    /** Replies dropped because the socket buffer was full (UDP semantics: never queued). */
    DATAGRAMS_DROPPED(14, "datagrams dropped (send buffer full)"),
    /** Datagrams larger than the configured maximum, dropped. */
    DATAGRAMS_OVERSIZED(15, "datagrams oversized"),
    /** Times a connection stopped reading because its outbound ring passed high water. */
    BACKPRESSURE_STALLS(16, "backpressure stalls"),
    /** Times a connection stopped reading because the ring pool was exhausted. */
    POOL_EXHAUSTED_STALLS(17, "pool exhausted stalls"),
    /** Times accepting paused because the process or system ran out of file descriptors. */
    ACCEPT_BACKOFFS(18, "accept back-offs (fd limit)"),
    /** Exceptions thrown by sessions or handlers. */
    HANDLER_ERRORS(19, "handler errors"),
    /** Duty cycles of the loop. */
    LOOP_CYCLES(20, "loop cycles"),
    /** Blocking selects that returned (woken by I/O, a timer or a command). */
    SELECT_WAKEUPS(21, "select wake-ups"),
    /** Timers that expired. */
    TIMER_EXPIRIES(22, "timer expiries"),
    /** Rings leased from the pool now (a gauge). */
    RINGS_LEASED(23, "rings leased"),
    /** Commands run on the loop for other threads. */
    COMMANDS(24, "commands"),
    /** Datagram receive or send errors (for example ICMP port unreachable on a connected socket). */
    DATAGRAM_ERRORS(25, "datagram errors"),
    /** Bytes of ring capacity leased from the pool now (a gauge): memory follows the bytes connections hold. */
    POOL_BYTES_LEASED(26, "pool bytes leased"),
    /**
     * Datagrams not answered because their source was one of this server's own endpoints or port 0: a forged
     * source would otherwise make the server answer itself forever ({@code endpoint.ReflectionGuard}).
     */
    DATAGRAMS_REFUSED(27, "datagrams refused (own or port-0 source)");

    /** Type ids of per-reason close counters are this plus the reason's ordinal. */
    public static final int CLOSE_REASON_TYPE_BASE = 100;

    private final int id;
    private final String label;

    EngineCounter(final int id, final String label) {
        this.id = id;
        this.label = label;
    }

    /** @return stable type id */
    public int id() {
        return id;
    }

    /** @return human-readable label */
    public String label() {
        return label;
    }
}
