package dev.ringside.engine.protocol.http;

import java.nio.charset.StandardCharsets;

import dev.ringside.engine.protocol.Outbound;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Every response the HTTP responder sends, pre-built once as bytes: each is one write, with no formatting
 * per request. Only the {@code Date} bytes change; they are re-rendered in place when {@link HttpDate}
 * reports a new second. One instance per thread (the protocol keeps them in a thread-local), so rendering
 * never races with another thread's write of the same bytes.
 *
 * <p>A response is chosen by {@link #kind(int, int)} from a status and a {@code Connection} variant.
 */
final class HttpResponses {
    /** 200 to a GET: headers and body. */
    static final int OK_GET = 0;
    /** 200 to a HEAD: the GET headers, no body. */
    static final int OK_HEAD = 1;
    /** 405 to any method other than GET and HEAD. */
    static final int NOT_ALLOWED = 2;
    /** 400 to a malformed request. */
    static final int BAD_REQUEST = 3;
    /** 431 to a request head larger than the limit. */
    static final int HEADERS_TOO_LARGE = 4;

    /** No {@code Connection} header: HTTP/1.1's persistent default. */
    static final int CONNECTION_DEFAULT = 0;
    /** {@code Connection: keep-alive}: an HTTP/1.0 client asked to keep the connection. */
    static final int CONNECTION_KEEP_ALIVE = 1;
    /** {@code Connection: close}: the server closes after this response. */
    static final int CONNECTION_CLOSE = 2;

    /** The body of a 200. */
    static final String HELLO = "Hello, World!";

    private static final int STATUSES = 5;
    private static final int CONNECTIONS = 3;
    private static final String[] STATUS_LINES = {
        "200 OK", "200 OK", "405 Method Not Allowed", "400 Bad Request", "431 Request Header Fields Too Large"};
    private static final String[] BODIES = {
        HELLO, HELLO, "Method Not Allowed\n", "Bad Request\n", "Request Header Fields Too Large\n"};
    private static final String[] CONNECTION_LINES = {"", "Connection: keep-alive\r\n", "Connection: close\r\n"};

    private final HttpDate date;
    private final UnsafeBuffer buffer;
    private final int[] offsets = new int[STATUSES * CONNECTIONS];
    private final int[] lengths = new int[STATUSES * CONNECTIONS];
    private final int[] dateOffsets = new int[STATUSES * CONNECTIONS];
    private long renderedSecond = Long.MIN_VALUE;

    /**
     * Builds every response.
     *
     * @param serverName the {@code Server} header's value
     * @param date       the clock whose second the {@code Date} headers show
     */
    HttpResponses(final String serverName, final HttpDate date) {
        this.date = date;
        final StringBuilder all = new StringBuilder();
        for (int status = 0; status < STATUSES; status++) {
            for (int connection = 0; connection < CONNECTIONS; connection++) {
                final int kind = kind(status, connection);
                final String head = head(status, connection, serverName);
                offsets[kind] = all.length();
                dateOffsets[kind] = all.length() + head.indexOf("Date: ") + "Date: ".length();
                all.append(head);
                if (status != OK_HEAD) {
                    all.append(BODIES[status]);
                }
                lengths[kind] = all.length() - offsets[kind];
            }
        }
        buffer = new UnsafeBuffer(all.toString().getBytes(StandardCharsets.US_ASCII));
        refreshDate();
    }

    /**
     * Names a response.
     *
     * @param status     one of {@link #OK_GET} ... {@link #HEADERS_TOO_LARGE}
     * @param connection one of {@link #CONNECTION_DEFAULT}, {@link #CONNECTION_KEEP_ALIVE}, {@link #CONNECTION_CLOSE}
     * @return the response's index
     */
    static int kind(final int status, final int connection) {
        return status * CONNECTIONS + connection;
    }

    /**
     * Appends a response to the output, all or nothing.
     *
     * @param kind from {@link #kind(int, int)}
     * @param out  the connection's output
     * @return false when it did not fit
     */
    boolean write(final int kind, final Outbound out) {
        refreshDate();
        return out.write(buffer, offsets[kind], lengths[kind]);
    }

    /**
     * The bytes of a response as it would be sent now (tests compare replies against it).
     *
     * @param kind from {@link #kind(int, int)}
     * @return a copy of the bytes
     */
    byte[] bytes(final int kind) {
        refreshDate();
        final byte[] copy = new byte[lengths[kind]];
        buffer.getBytes(offsets[kind], copy);
        return copy;
    }

    private void refreshDate() {
        final long second = date.epochSecond();
        if (second != renderedSecond) {
            renderedSecond = second;
            for (int kind = 0; kind < dateOffsets.length; kind++) {
                HttpDate.format(second, buffer, dateOffsets[kind]);
            }
        }
    }

    private static String head(final int status, final int connection, final String serverName) {
        return "HTTP/1.1 " + STATUS_LINES[status] + "\r\n"
            + "Server: " + serverName + "\r\n"
            + "Date: " + "X".repeat(HttpDate.LENGTH) + "\r\n"
            + "Content-Type: text/plain\r\n"
            + "Content-Length: " + BODIES[status].length() + "\r\n"
            + (status == NOT_ALLOWED ? "Allow: GET, HEAD\r\n" : "")
            + CONNECTION_LINES[connection]
            + "\r\n";
    }
}
