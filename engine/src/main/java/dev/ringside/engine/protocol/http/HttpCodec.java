package dev.ringside.engine.protocol.http;

import java.nio.charset.StandardCharsets;

import dev.ringside.engine.buffer.ByteRing;
import dev.ringside.engine.protocol.ClientCodec;
import dev.ringside.engine.protocol.ReplyFault;
import dev.ringside.engine.protocol.ReplySink;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * HTTP/1.1 client side, one per connection: writes pre-encoded requests (round-robin over the paths) and parses
 * responses incrementally without allocation (RFC 9112):
 * <ul>
 * <li>a status line ({@code HTTP/1.x SSS reason}), headers, then a body delimited by {@code Content-Length}, by
 *     chunked transfer coding (chunk extensions and trailers are read and ignored), or, with neither, by the
 *     server's close (an HTTP/1.0 server);</li>
 * <li>no body after a HEAD request, or for 1xx, 204 and 304; a 1xx other than 101 is interim and the final
 *     response to the same request follows it;</li>
 * <li>{@code Connection: close}, or an HTTP/1.0 response without {@code Connection: keep-alive}, makes that
 *     response the connection's last: {@link #decode} returns {@link ClientCodec#END_OF_CONNECTION} after it.</li>
 * </ul>
 * Every response's status goes to {@link ReplySink#onStatus}; one the run does not accept is
 * {@link Http#REJECTED_STATUS} (its latency still counts, as wrk counts it). Anything unparsable (a bad
 * status line, a head longer than {@link #MAX_HEAD_BYTES}, a bad chunk size) is {@link ClientCodec#MALFORMED}.
 */
public final class HttpCodec implements ClientCodec {
    /** Longest status or header line accepted. */
    public static final int MAX_LINE_BYTES = 16 * 1024;
    /** Largest response head (status line, headers; or a chunked body's trailers) accepted. */
    public static final int MAX_HEAD_BYTES = 64 * 1024;

    private static final byte[] CONTENT_LENGTH = ascii("content-length:");
    private static final byte[] TRANSFER_ENCODING = ascii("transfer-encoding:");
    private static final byte[] CONNECTION = ascii("connection:");
    private static final byte[] CHUNKED = ascii("chunked");
    private static final byte[] CLOSE = ascii("close");
    private static final byte[] KEEP_ALIVE = ascii("keep-alive");
    private static final int STATUS_LINE = 0;
    private static final int HEADERS = 1;
    private static final int BODY = 2;
    private static final int CHUNK_SIZE = 3;
    private static final int CHUNK_DATA = 4;
    private static final int CHUNK_END = 5;
    private static final int TRAILERS = 6;
    private static final int UNTIL_CLOSE = 7;

    private final UnsafeBuffer[] requests;
    private final boolean head;
    private final boolean[] accepted;
    private final int maxRequestBytes;
    private int state = STATUS_LINE;
    private int status;
    private boolean http10;
    private long contentLength;
    private boolean chunked;
    private boolean close;
    private boolean keepAlive;
    private long remaining;
    private int headBytes;
    private long scanFrom = -1;
    private long expectSeq;

    /**
     * Creates a codec.
     *
     * @param requests pre-encoded requests, sent round-robin by sequence number (shared, never written)
     * @param head     whether they are HEAD requests (whose responses have no body)
     * @param accepted {@code accepted[status]} for every status 0..599 a run accepts; others are
     *                 {@link Http#REJECTED_STATUS}
     */
    public HttpCodec(final UnsafeBuffer[] requests, final boolean head, final boolean[] accepted) {
        this.requests = requests;
        this.head = head;
        this.accepted = accepted;
        int most = 0;
        for (final UnsafeBuffer request : requests) {
            most = Math.max(most, request.capacity());
        }
        this.maxRequestBytes = most;
    }

    @Override
    public int maxRequestBytes() {
        return maxRequestBytes;
    }

    @Override
    public int encode(final MutableDirectBuffer buffer, final long seq, final long intendedNs, final long sentNs) {
        final UnsafeBuffer request = requests[(int) (seq % requests.length)];
        buffer.putBytes(0, request, 0, request.capacity());
        return request.capacity();
    }

    @Override
    public int decode(final ByteRing inbound, final ReplySink sink) {
        int replies = 0;
        while (!inbound.isEmpty()) {
            switch (state) {
                case BODY, CHUNK_DATA, UNTIL_CLOSE -> {
                    final int take = (int) Math.min(remaining, inbound.readableBytes());
                    inbound.consume(take);
                    if (state == UNTIL_CLOSE) {
                        continue; // the server's close ends it (onEndOfStream)
                    }
                    remaining -= take;
                    if (remaining > 0) {
                        return replies;
                    }
                    if (state == CHUNK_DATA) {
                        state = CHUNK_END;
                        continue;
                    }
                    final int done = complete(sink);
                    if (done < 0) {
                        return done;
                    }
                    replies++;
                }
                default -> {
                    final long start = inbound.readPosition();
                    final long newline = inbound.indexOf((byte) '\n', Math.max(start, scanFrom));
                    if (newline < 0) {
                        if (inbound.readableBytes() >= MAX_LINE_BYTES) {
                            return MALFORMED;
                        }
                        scanFrom = inbound.writePosition();
                        return replies;
                    }
                    scanFrom = -1;
                    final int lineBytes = (int) (newline - start) + 1;
                    int length = lineBytes - 1;
                    if (length > 0 && inbound.getByte(newline - 1) == '\r') {
                        length--;
                    }
                    final int outcome = onLine(inbound, start, length, lineBytes, sink);
                    inbound.consume(lineBytes);
                    if (outcome < 0) {
                        return outcome;
                    }
                    replies += outcome;
                }
            }
        }
        return replies;
    }

    /** @return replies completed by this line (0 or 1), or MALFORMED / END_OF_CONNECTION */
    private int onLine(final ByteRing in, final long start, final int length, final int lineBytes,
        final ReplySink sink) {
        if (state == STATUS_LINE || state == HEADERS || state == TRAILERS) {
            headBytes += lineBytes;
            if (headBytes > MAX_HEAD_BYTES) {
                return MALFORMED;
            }
        }
        switch (state) {
            case STATUS_LINE:
                return onStatusLine(in, start, length) ? 0 : MALFORMED;
            case HEADERS:
                return length == 0 ? onEndOfHead(sink) : onHeaderLine(in, start, length) ? 0 : MALFORMED;
            case CHUNK_SIZE:
                return onChunkSize(in, start, length, sink);
            case CHUNK_END:
                if (length != 0) {
                    return MALFORMED; // chunk data longer than its size said
                }
                state = CHUNK_SIZE;
                return 0;
            case TRAILERS:
                if (length == 0) {
                    final int done = complete(sink);
                    return done < 0 ? done : 1;
                }
                return 0;
            default:
                return MALFORMED;
        }
    }

    private boolean onStatusLine(final ByteRing in, final long start, final int length) {
        // "HTTP/1.1 200 OK": version, space, three digits, then a space or the end of the line.
        if (length < 12 || in.getByte(start) != 'H' || in.getByte(start + 1) != 'T' || in.getByte(start + 2) != 'T'
            || in.getByte(start + 3) != 'P' || in.getByte(start + 4) != '/' || in.getByte(start + 5) != '1'
            || in.getByte(start + 6) != '.' || in.getByte(start + 8) != ' '
            || (length > 12 && in.getByte(start + 12) != ' ')) {
            return false;
        }
        final byte minor = in.getByte(start + 7);
        if (minor != '0' && minor != '1') {
            return false;
        }
        int value = 0;
        for (int i = 9; i < 12; i++) {
            final byte digit = in.getByte(start + i);
            if (digit < '0' || digit > '9') {
                return false;
            }
            value = value * 10 + (digit - '0');
        }
        if (value < 100) {
            return false;
        }
        status = value;
        http10 = minor == '0';
        contentLength = -1;
        chunked = false;
        close = false;
        keepAlive = false;
        state = HEADERS;
        return true;
    }

    private boolean onHeaderLine(final ByteRing in, final long start, final int length) {
        if (startsWithIgnoreCase(in, start, length, CONTENT_LENGTH)) {
            long value = 0;
            int digits = 0;
            for (int i = CONTENT_LENGTH.length; i < length; i++) {
                final byte b = in.getByte(start + i);
                if (b >= '0' && b <= '9') {
                    value = value * 10 + (b - '0');
                    if (++digits > 15) {
                        return false;
                    }
                } else if (b != ' ' && b != '\t') {
                    return false;
                }
            }
            if (digits == 0 || (contentLength >= 0 && contentLength != value)) {
                return false;
            }
            contentLength = value;
        } else if (startsWithIgnoreCase(in, start, length, TRANSFER_ENCODING)) {
            // Chunked must be the last coding; anything else leaves the body to the connection's close.
            chunked = endsWithIgnoreCase(in, start, length, CHUNKED);
        } else if (startsWithIgnoreCase(in, start, length, CONNECTION)) {
            close |= containsIgnoreCase(in, start + CONNECTION.length, length - CONNECTION.length, CLOSE);
            keepAlive |= containsIgnoreCase(in, start + CONNECTION.length, length - CONNECTION.length, KEEP_ALIVE);
        }
        return true;
    }

    private int onEndOfHead(final ReplySink sink) {
        if (status < 200 && status != 101) {
            state = STATUS_LINE; // interim (100 Continue, 103 Early Hints): the final response follows
            headBytes = 0;
            return 0;
        }
        close |= http10 && !keepAlive;
        if (head || status == 204 || status == 304 || status < 200) {
            final int done = complete(sink);
            return done < 0 ? done : 1;
        }
        if (chunked) {
            state = CHUNK_SIZE;
        } else if (contentLength >= 0) {
            if (contentLength == 0) {
                final int done = complete(sink);
                return done < 0 ? done : 1;
            }
            remaining = contentLength;
            state = BODY;
        } else {
            // Neither length nor chunks: the body runs to the server's close (HTTP/1.0 style).
            remaining = Long.MAX_VALUE;
            close = true;
            state = UNTIL_CLOSE;
        }
        return 0;
    }

    private int onChunkSize(final ByteRing in, final long start, final int length, final ReplySink sink) {
        long size = 0;
        int digits = 0;
        for (int i = 0; i < length; i++) {
            final int b = in.getByte(start + i);
            final int nibble = b >= '0' && b <= '9' ? b - '0' : b >= 'a' && b <= 'f' ? b - 'a' + 10
                : b >= 'A' && b <= 'F' ? b - 'A' + 10 : -1;
            if (nibble < 0) {
                if (b == ';' || b == ' ' || b == '\t') {
                    break; // a chunk extension (ignored) or padding
                }
                return MALFORMED;
            }
            size = (size << 4) | nibble;
            if (++digits > 12) {
                return MALFORMED;
            }
        }
        if (digits == 0) {
            return MALFORMED;
        }
        if (size == 0) {
            state = TRAILERS;
            headBytes = 0;
            return 0;
        }
        remaining = size;
        state = CHUNK_DATA;
        return 0;
    }

    /** @return 0, or MALFORMED when the sink refused it, or END_OF_CONNECTION when it was the last */
    private int complete(final ReplySink sink) {
        state = STATUS_LINE;
        headBytes = 0;
        sink.onStatus(status);
        final ReplyFault fault = status < accepted.length && accepted[status] ? null : Http.REJECTED_STATUS;
        if (!sink.onReply(expectSeq++, fault)) {
            return MALFORMED;
        }
        return close ? END_OF_CONNECTION : 0;
    }

    @Override
    public boolean onEndOfStream(final ReplySink sink) {
        if (state != UNTIL_CLOSE) {
            return false;
        }
        close = false;
        complete(sink);
        return true;
    }

    private static boolean startsWithIgnoreCase(final ByteRing in, final long start, final int length,
        final byte[] lowerCasePrefix) {
        return length >= lowerCasePrefix.length && regionMatches(in, start, lowerCasePrefix);
    }

    private static boolean endsWithIgnoreCase(final ByteRing in, final long start, final int length,
        final byte[] lowerCase) {
        int end = length;
        while (end > 0 && (in.getByte(start + end - 1) == ' ' || in.getByte(start + end - 1) == '\t')) {
            end--;
        }
        return end >= lowerCase.length && regionMatches(in, start + end - lowerCase.length, lowerCase);
    }

    private static boolean containsIgnoreCase(final ByteRing in, final long start, final int length,
        final byte[] lowerCase) {
        for (int i = 0; i + lowerCase.length <= length; i++) {
            if (regionMatches(in, start + i, lowerCase)) {
                return true;
            }
        }
        return false;
    }

    private static boolean regionMatches(final ByteRing in, final long start, final byte[] lowerCase) {
        for (int i = 0; i < lowerCase.length; i++) {
            int b = in.getByte(start + i);
            if (b >= 'A' && b <= 'Z') {
                b += 'a' - 'A';
            }
            if (b != lowerCase[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] ascii(final String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public void decodeDatagram(final DirectBuffer buffer, final int length, final ReplySink sink) {
        throw new UnsupportedOperationException("http has no UDP form");
    }
}
