package dev.ringside.engine.protocol.http;

import dev.ringside.engine.protocol.DatagramHandler;
import dev.ringside.engine.protocol.Protocol;
import dev.ringside.engine.protocol.ProtocolTimer;
import dev.ringside.engine.protocol.Session;
import dev.ringside.engine.protocol.SessionContext;

/**
 * {@code http}: an HTTP/1.1 plaintext responder of the kind wrk and wrk2 are pointed at. GET and HEAD of
 * any target get {@code 200 OK} with {@code text/plain} body {@code Hello, World!}, a correct
 * {@code Content-Length}, a cached {@code Date} and a {@code Server} header; keep-alive and pipelining are
 * supported; malformed requests get 400, over-long heads 431 (both then close), other methods 405. See
 * {@link HttpSession} for the exact rules.
 *
 * <p>The {@code Date} header comes from an {@link HttpDate} that the host advances once a second through
 * {@link #timer()}; each thread keeps its own pre-built responses and re-renders their dates when the
 * second changes, so no request formats anything or allocates.
 */
public final class HttpProtocol implements Protocol {
    private final HttpDate date;
    private final int maxHeaderBytes;
    private final ThreadLocal<HttpResponses> responses;

    /** Default limit on a request's head (request line and headers). */
    public static final int DEFAULT_MAX_HEADER_BYTES = 8192;
    /** The {@code Server} header's value. */
    public static final String SERVER_NAME = "ringside";

    /**
     * Creates the protocol with a date clock set to now.
     *
     * @param maxHeaderBytes a request head larger than this is answered with 431 and the connection closed
     */
    public HttpProtocol(final int maxHeaderBytes) {
        this(maxHeaderBytes, SERVER_NAME, new HttpDate(System.currentTimeMillis()));
    }

    /**
     * Creates the protocol with a given date clock (tests fix the time).
     *
     * @param maxHeaderBytes a request head larger than this is answered with 431 and the connection closed
     * @param serverName     the {@code Server} header's value: printable ASCII
     * @param date           the clock behind the {@code Date} header
     */
    public HttpProtocol(final int maxHeaderBytes, final String serverName, final HttpDate date) {
        if (maxHeaderBytes < 64) {
            throw new IllegalArgumentException("--max-header must be at least 64 bytes, got " + maxHeaderBytes);
        }
        if (serverName.isEmpty() || !serverName.chars().allMatch(c -> c >= 0x20 && c <= 0x7E)) {
            throw new IllegalArgumentException("server name must be printable ASCII: '" + serverName + "'");
        }
        this.date = date;
        this.maxHeaderBytes = maxHeaderBytes;
        this.responses = ThreadLocal.withInitial(() -> new HttpResponses(serverName, date));
    }

    @Override
    public String name() {
        return "http";
    }

    @Override
    public Session newSession(final SessionContext context) {
        return new HttpSession(this, maxHeaderBytes);
    }

    @Override
    public DatagramHandler newDatagramHandler(final String localAddress) {
        throw new UnsupportedOperationException("http has no datagram form");
    }

    @Override
    public boolean supportsDatagrams() {
        return false;
    }

    /** @return the date clock, which the host ticks once a second */
    @Override
    public ProtocolTimer timer() {
        return date;
    }

    /** @return the calling thread's pre-built responses */
    HttpResponses responses() {
        return responses.get();
    }
}
