package dev.ringside.engine.protocol.http;

import java.nio.charset.StandardCharsets;

import dev.ringside.engine.buffer.ByteRing;
import dev.ringside.engine.protocol.CloseReason;
import dev.ringside.engine.protocol.Outbound;
import dev.ringside.engine.protocol.Session;

/**
 * One HTTP/1.1 connection: finds each request head in the inbound ring, decodes it in place (no strings,
 * no copies) and appends the matching pre-built response. Pipelined requests are answered in order, as
 * many per read as the output takes; when it is full the rest waits in the ring.
 *
 * <p>A head is complete at its first empty line (CRLF or a bare LF both end lines). The scan resumes where
 * the last read stopped and never passes the head limit: a head that does not end within it gets 431. The
 * request line is checked as soon as it is complete, so garbage gets its 400 without waiting for a blank
 * line. Rules: the method is a token, GET and HEAD are served and any other method gets 405; the target is
 * visible ASCII; the version is {@code HTTP/1.x}; header names are tokens followed directly by a colon;
 * folded lines are malformed; HTTP/1.1 needs {@code Host}. Connections persist unless the client says
 * {@code Connection: close}, or is HTTP/1.0 without {@code Connection: keep-alive}. Request bodies are not
 * read: a request that announces one is answered and the connection then closed.
 *
 * <p>Strictness where leniency lets a request mean two things to two parsers (request smuggling) or lets a peer
 * hold the connection for free; each of these is a 400, counted as a protocol error, and the connection is
 * closed once the 400 is sent:
 * <ul>
 *   <li>{@code Content-Length} must be one decimal number; repeated fields must all carry the same value
 *       (RFC 9112 section 6.3; leading zeros aside, {@code 5} and {@code 005} are the same), and a list in one
 *       field ({@code 5, 5}) is refused rather than merged.</li>
 *   <li>A field value holds no control character other than horizontal tab: no NUL, no CR that does not end
 *       the line (a bare CR), no DEL (RFC 9110 section 5.5). Bytes above 0x7F (obs-text) pass.</li>
 *   <li>At most {@value #MAX_LEADING_LINE_BREAK_BYTES} bytes of CR and LF — four empty lines — before a
 *       request line are skipped (RFC 9112 section 2.2 asks servers to ignore "at least one"); more is a 400.</li>
 * </ul>
 */
final class HttpSession implements Session {
    private static final int METHOD_NONE = -1;
    private static final int METHOD_GET = 0;
    private static final int METHOD_HEAD = 1;
    private static final int METHOD_OTHER = 2;

    private static final int HEADERS_MALFORMED = -1;
    private static final int HAS_HOST = 1;
    private static final int WANTS_CLOSE = 2;
    private static final int WANTS_KEEP_ALIVE = 4;
    private static final int HAS_BODY = 8;
    /** Four empty lines of CRLF. */
    static final int MAX_LEADING_LINE_BREAK_BYTES = 8;

    private static final byte[] GET = ascii("GET");
    private static final byte[] HEAD = ascii("HEAD");
    private static final byte[] HTTP_1 = ascii("HTTP/1.");
    private static final byte[] HOST = ascii("host");
    private static final byte[] CONNECTION = ascii("connection");
    private static final byte[] CONTENT_LENGTH = ascii("content-length");
    private static final byte[] TRANSFER_ENCODING = ascii("transfer-encoding");
    private static final byte[] CLOSE = ascii("close");
    private static final byte[] KEEP_ALIVE = ascii("keep-alive");
    private static final boolean[] TOKEN = tokenTable();

    private final HttpProtocol protocol;
    private final int maxHeaderBytes;

    // Scan state of the current request head, relative to the read position (a fresh ring restarts at 0).
    private int scannedBytes;
    /** 0: inside a line; 1: just after a LF; 2: after a LF and a CR. A LF in state 1 or 2 ends the head. */
    private int lineEndState;
    private int requestLineEnd = -1;
    private int headBytes = -1;
    private int method = METHOD_NONE;
    private boolean http10;
    /** CR and LF bytes skipped before the current request line (they may arrive over several reads). */
    private int leadingLineBreakBytes;
    // The first Content-Length value of the head being parsed, digits after leading zeros: [start, end).
    private long contentLengthStart = -1;
    private long contentLengthEnd = -1;

    HttpSession(final HttpProtocol protocol, final int maxHeaderBytes) {
        this.protocol = protocol;
        this.maxHeaderBytes = maxHeaderBytes;
    }

    @Override
    public int onData(final ByteRing inbound, final Outbound out) {
        int requests = 0;
        HttpResponses responses = null;
        while (true) {
            if (scannedBytes == 0 && !skipEmptyLines(inbound)) {
                reject(protocol.responses(), HttpResponses.BAD_REQUEST, out, CloseReason.PROTOCOL_ERROR);
                return requests;
            }
            if (inbound.isEmpty()) {
                return requests;
            }
            if (responses == null) {
                responses = protocol.responses();
            }
            final long start = inbound.readPosition();
            if (headBytes < 0) {
                scanHead(inbound, start);
            }
            if (method == METHOD_NONE && requestLineEnd >= 0 && !parseRequestLine(inbound, start)) {
                reject(responses, HttpResponses.BAD_REQUEST, out, CloseReason.PROTOCOL_ERROR);
                return requests;
            }
            if (headBytes < 0) {
                if (scannedBytes >= maxHeaderBytes) {
                    reject(responses, HttpResponses.HEADERS_TOO_LARGE, out, CloseReason.FRAME_TOO_LARGE);
                }
                return requests;
            }
            final int headers = parseHeaders(inbound, start + requestLineEnd + 1);
            if (headers == HEADERS_MALFORMED || !http10 && (headers & HAS_HOST) == 0) {
                reject(responses, HttpResponses.BAD_REQUEST, out, CloseReason.PROTOCOL_ERROR);
                return requests;
            }
            final boolean keepAlive = (headers & HAS_BODY) == 0
                && (http10 ? (headers & WANTS_KEEP_ALIVE) != 0 && (headers & WANTS_CLOSE) == 0
                    : (headers & WANTS_CLOSE) == 0);
            final int status = method == METHOD_GET ? HttpResponses.OK_GET
                : method == METHOD_HEAD ? HttpResponses.OK_HEAD : HttpResponses.NOT_ALLOWED;
            final int connection = !keepAlive ? HttpResponses.CONNECTION_CLOSE
                : http10 ? HttpResponses.CONNECTION_KEEP_ALIVE : HttpResponses.CONNECTION_DEFAULT;
            if (!responses.write(HttpResponses.kind(status, connection), out)) {
                return requests; // output full: the head stays decoded and is answered once output drains
            }
            inbound.consume(headBytes);
            requests++;
            resetHead();
            if (!keepAlive) {
                out.closeAfterFlush();
                return requests;
            }
        }
    }

    private void reject(final HttpResponses responses, final int status, final Outbound out,
        final CloseReason reason) {
        if (responses.write(HttpResponses.kind(status, HttpResponses.CONNECTION_CLOSE), out)) {
            out.closeAfterFlush(reason); // the error reply goes out first, then the close is counted as an error
        } else {
            out.close(reason); // no room even to say why
        }
    }

    private void resetHead() {
        scannedBytes = 0;
        lineEndState = 0;
        requestLineEnd = -1;
        headBytes = -1;
        method = METHOD_NONE;
        http10 = false;
        leadingLineBreakBytes = 0;
    }

    /**
     * Drops line breaks before a request line (RFC 9112 section 2.2: a server should ignore some), counting
     * them across reads.
     *
     * @return false when there were more than {@link #MAX_LEADING_LINE_BREAK_BYTES}
     */
    private boolean skipEmptyLines(final ByteRing inbound) {
        int skip = 0;
        final int readable = inbound.readableBytes();
        final long start = inbound.readPosition();
        while (skip < readable) {
            final byte b = inbound.getByte(start + skip);
            if (b != '\r' && b != '\n') {
                break;
            }
            if (++leadingLineBreakBytes > MAX_LEADING_LINE_BREAK_BYTES) {
                return false;
            }
            skip++;
        }
        if (skip > 0) {
            inbound.consume(skip);
        }
        return true;
    }

    /** Advances the head scan over newly arrived bytes, never beyond the head limit. */
    private void scanHead(final ByteRing inbound, final long start) {
        final int limit = Math.min(inbound.readableBytes(), maxHeaderBytes);
        int state = lineEndState;
        for (int i = scannedBytes; i < limit; i++) {
            final byte b = inbound.getByte(start + i);
            if (b == '\n') {
                if (requestLineEnd < 0) {
                    requestLineEnd = i;
                }
                if (state != 0) {
                    scannedBytes = i + 1;
                    headBytes = i + 1;
                    lineEndState = 0;
                    return;
                }
                state = 1;
            } else if (b == '\r') {
                state = state == 1 ? 2 : 0;
            } else {
                state = 0;
            }
        }
        scannedBytes = limit;
        lineEndState = state;
    }

    /** Decodes {@code METHOD SP TARGET SP HTTP/1.x}; false when malformed. */
    private boolean parseRequestLine(final ByteRing inbound, final long start) {
        final long end = lineContentEnd(inbound, start, start + requestLineEnd);
        long p = start;
        while (p < end && isToken(inbound.getByte(p))) {
            p++;
        }
        final long methodEnd = p;
        if (methodEnd == start || p >= end || inbound.getByte(p) != ' ') {
            return false;
        }
        final long targetStart = ++p;
        while (p < end && isVisible(inbound.getByte(p))) {
            p++;
        }
        if (p == targetStart || p >= end || inbound.getByte(p) != ' ') {
            return false;
        }
        final long version = p + 1;
        if (end - version != HTTP_1.length + 1 || !matches(inbound, version, HTTP_1, false)) {
            return false;
        }
        final byte minor = inbound.getByte(version + HTTP_1.length);
        if (minor < '0' || minor > '9') {
            return false;
        }
        http10 = minor == '0';
        final int methodLength = (int) (methodEnd - start);
        if (methodLength == GET.length && matches(inbound, start, GET, false)) {
            method = METHOD_GET;
        } else if (methodLength == HEAD.length && matches(inbound, start, HEAD, false)) {
            method = METHOD_HEAD;
        } else {
            method = METHOD_OTHER;
        }
        return true;
    }

    /** Decodes the header lines after the request line up to the empty line; returns flags or malformed. */
    private int parseHeaders(final ByteRing inbound, final long from) {
        int flags = 0;
        contentLengthStart = -1;
        contentLengthEnd = -1;
        long lineStart = from;
        while (true) {
            final long newline = inbound.indexOf((byte) '\n', lineStart);
            final long end = lineContentEnd(inbound, lineStart, newline);
            if (end == lineStart) {
                return flags;
            }
            long p = lineStart;
            while (p < end && isToken(inbound.getByte(p))) {
                p++;
            }
            if (p == lineStart || p == end || inbound.getByte(p) != ':') {
                return HEADERS_MALFORMED; // also a folded line, which starts with a space or tab
            }
            final int nameLength = (int) (p - lineStart);
            if (hasControlCharacter(inbound, p + 1, end)) {
                return HEADERS_MALFORMED;
            }
            long valueStart = p + 1;
            long valueEnd = end;
            while (valueStart < valueEnd && isSpace(inbound.getByte(valueStart))) {
                valueStart++;
            }
            while (valueEnd > valueStart && isSpace(inbound.getByte(valueEnd - 1))) {
                valueEnd--;
            }
            if (isName(inbound, lineStart, nameLength, HOST)) {
                flags |= HAS_HOST;
            } else if (isName(inbound, lineStart, nameLength, CONNECTION)) {
                flags |= connectionOptions(inbound, valueStart, valueEnd);
            } else if (isName(inbound, lineStart, nameLength, CONTENT_LENGTH)) {
                final int length = contentLength(inbound, valueStart, valueEnd);
                if (length < 0 || !sameAsEarlierContentLength(inbound, valueStart, valueEnd)) {
                    return HEADERS_MALFORMED;
                }
                flags |= length;
            } else if (isName(inbound, lineStart, nameLength, TRANSFER_ENCODING)) {
                flags |= HAS_BODY;
            }
            lineStart = newline + 1;
        }
    }

    /** @return {@link #WANTS_CLOSE} and/or {@link #WANTS_KEEP_ALIVE} from a comma-separated option list */
    private static int connectionOptions(final ByteRing inbound, final long from, final long to) {
        int flags = 0;
        long p = from;
        while (p < to) {
            while (p < to && (isSpace(inbound.getByte(p)) || inbound.getByte(p) == ',')) {
                p++;
            }
            final long tokenStart = p;
            while (p < to && inbound.getByte(p) != ',' && !isSpace(inbound.getByte(p))) {
                p++;
            }
            final int length = (int) (p - tokenStart);
            if (length == CLOSE.length && matches(inbound, tokenStart, CLOSE, true)) {
                flags |= WANTS_CLOSE;
            } else if (length == KEEP_ALIVE.length && matches(inbound, tokenStart, KEEP_ALIVE, true)) {
                flags |= WANTS_KEEP_ALIVE;
            }
        }
        return flags;
    }

    /** @return {@link #HAS_BODY} for a positive length, 0 for zero, -1 when not a decimal number */
    private static int contentLength(final ByteRing inbound, final long from, final long to) {
        if (from == to) {
            return -1;
        }
        int result = 0;
        for (long p = from; p < to; p++) {
            final byte b = inbound.getByte(p);
            if (b < '0' || b > '9') {
                return -1;
            }
            if (b != '0') {
                result = HAS_BODY;
            }
        }
        return result;
    }

    /**
     * Remembers the first Content-Length of a head and compares later ones with it, as numbers: leading zeros
     * do not count. The value is known to be digits only.
     *
     * @return false when an earlier Content-Length of this head carries a different value
     */
    private boolean sameAsEarlierContentLength(final ByteRing inbound, final long from, final long to) {
        long digits = from;
        while (digits < to - 1 && inbound.getByte(digits) == '0') {
            digits++;
        }
        if (contentLengthStart < 0) {
            contentLengthStart = digits;
            contentLengthEnd = to;
            return true;
        }
        if (to - digits != contentLengthEnd - contentLengthStart) {
            return false;
        }
        for (long i = 0; i < to - digits; i++) {
            if (inbound.getByte(digits + i) != inbound.getByte(contentLengthStart + i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * @return whether a field value holds NUL, a bare CR, DEL or another control character than tab (the
     *     line's own CR LF is outside {@code [from, to)})
     */
    private static boolean hasControlCharacter(final ByteRing inbound, final long from, final long to) {
        for (long p = from; p < to; p++) {
            final byte b = inbound.getByte(p);
            if (b >= 0 && b < ' ' && b != '\t' || b == 0x7F) {
                return true;
            }
        }
        return false;
    }

    /** @return the end of a line's content: the LF's position, or the CR's just before it */
    private static long lineContentEnd(final ByteRing inbound, final long lineStart, final long newline) {
        return newline > lineStart && inbound.getByte(newline - 1) == '\r' ? newline - 1 : newline;
    }

    private static boolean isName(final ByteRing inbound, final long start, final int length, final byte[] lower) {
        return length == lower.length && matches(inbound, start, lower, true);
    }

    /** Compares ring bytes with ASCII; with {@code ignoreCase} the expected bytes must be lower case. */
    private static boolean matches(final ByteRing inbound, final long start, final byte[] expected,
        final boolean ignoreCase) {
        for (int i = 0; i < expected.length; i++) {
            byte b = inbound.getByte(start + i);
            if (ignoreCase && b >= 'A' && b <= 'Z') {
                b = (byte) (b + ('a' - 'A'));
            }
            if (b != expected[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean isToken(final byte b) {
        return b >= 0 && TOKEN[b];
    }

    /** Visible ASCII, as a request target must be. */
    private static boolean isVisible(final byte b) {
        return b > ' ' && b < 0x7F;
    }

    private static boolean isSpace(final byte b) {
        return b == ' ' || b == '\t';
    }

    private static boolean[] tokenTable() {
        final boolean[] table = new boolean[128];
        for (int c = '0'; c <= '9'; c++) {
            table[c] = true;
        }
        for (int c = 'A'; c <= 'Z'; c++) {
            table[c] = true;
            table[c + ('a' - 'A')] = true;
        }
        for (final char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            table[c] = true;
        }
        return table;
    }

    private static byte[] ascii(final String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
