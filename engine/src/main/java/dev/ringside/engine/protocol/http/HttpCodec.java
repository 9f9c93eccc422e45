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
 * HTTP/1.1 GET with keep-alive (pipelined when {@code --pipeline} is above 1). Responses are parsed
 * incrementally without allocation: status line, headers (only {@code Content-Length} matters), body.
 * A status outside 200..299 counts as {@link ReplyFault#REJECTED_STATUS}; its latency is still recorded, as wrk
 * does. Chunked bodies and bodies delimited by the connection's close cannot be pipelined and are treated
 * as malformed.
 */
public final class HttpCodec implements ClientCodec {
    /** Longest status or header line accepted. */
    public static final int MAX_LINE_BYTES = 16 * 1024;

    private static final byte[] CONTENT_LENGTH = "content-length:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRANSFER_ENCODING = "transfer-encoding:".getBytes(StandardCharsets.US_ASCII);
    private static final int STATUS_LINE = 0;
    private static final int HEADERS = 1;
    private static final int BODY = 2;

    private final UnsafeBuffer request;
    private final int requestLength;
    private int state = STATUS_LINE;
    private int status;
    private long contentLength;
    private boolean chunked;
    private long scanFrom = -1;
    private long expectSeq;

    public HttpCodec(final String path, final String host) {
        final byte[] bytes = ("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: ringside\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
        this.request = new UnsafeBuffer(bytes);
        this.requestLength = bytes.length;
    }

    @Override
    public int maxRequestBytes() {
        return requestLength;
    }

    @Override
    public int encode(final MutableDirectBuffer buffer, final long seq, final long intendedNs, final long sentNs) {
        buffer.putBytes(0, request, 0, requestLength);
        return requestLength;
    }

    @Override
    public int decode(final ByteRing inbound, final ReplySink sink) {
        int replies = 0;
        while (!inbound.isEmpty()) {
            if (state == BODY) {
                final int take = (int) Math.min(contentLength, inbound.readableBytes());
                inbound.consume(take);
                contentLength -= take;
                if (contentLength > 0) {
                    return replies;
                }
                state = STATUS_LINE;
                replies++;
                final boolean ok = status >= 200 && status <= 299;
                if (!sink.onReply(expectSeq++, ok ? null : ReplyFault.REJECTED_STATUS)) {
                    return MALFORMED;
                }
                continue;
            }
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
            int length = (int) (newline - start);
            if (length > 0 && inbound.getByte(newline - 1) == '\r') {
                length--;
            }
            final boolean good = state == STATUS_LINE ? onStatusLine(inbound, start, length)
                : onHeaderLine(inbound, start, length);
            inbound.consume((int) (newline - start) + 1);
            if (!good) {
                return MALFORMED;
            }
            if (state == BODY && contentLength == 0) {
                // No body: complete at once (handled at the top of the loop when bytes remain; here when not).
                state = STATUS_LINE;
                replies++;
                final boolean ok = status >= 200 && status <= 299;
                if (!sink.onReply(expectSeq++, ok ? null : ReplyFault.REJECTED_STATUS)) {
                    return MALFORMED;
                }
            }
        }
        return replies;
    }

    private boolean onStatusLine(final ByteRing in, final long start, final int length) {
        // "HTTP/1.1 200 OK": the status is the three digits after the first space.
        if (length < 12 || in.getByte(start) != 'H' || in.getByte(start + 1) != 'T' || in.getByte(start + 2) != 'T'
            || in.getByte(start + 3) != 'P' || in.getByte(start + 4) != '/' || in.getByte(start + 8) != ' ') {
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
        status = value;
        contentLength = -1;
        chunked = false;
        state = HEADERS;
        return true;
    }

    private boolean onHeaderLine(final ByteRing in, final long start, final int length) {
        if (length == 0) {
            if (chunked) {
                return false;
            }
            if (contentLength < 0) {
                if (status == 204 || status == 304 || (status >= 100 && status < 200)) {
                    contentLength = 0;
                } else {
                    return false;
                }
            }
            state = BODY;
            return true;
        }
        if (startsWithIgnoreCase(in, start, length, CONTENT_LENGTH)) {
            long value = 0;
            int digits = 0;
            for (int i = CONTENT_LENGTH.length; i < length; i++) {
                final byte b = in.getByte(start + i);
                if (b >= '0' && b <= '9') {
                    value = value * 10 + (b - '0');
                    if (++digits > 12) {
                        return false;
                    }
                } else if (b != ' ' && b != '\t') {
                    return false;
                }
            }
            if (digits == 0) {
                return false;
            }
            contentLength = value;
        } else if (startsWithIgnoreCase(in, start, length, TRANSFER_ENCODING)) {
            chunked = true;
        }
        return true;
    }

    private static boolean startsWithIgnoreCase(final ByteRing in, final long start, final int length,
        final byte[] lowerCasePrefix) {
        if (length < lowerCasePrefix.length) {
            return false;
        }
        for (int i = 0; i < lowerCasePrefix.length; i++) {
            int b = in.getByte(start + i);
            if (b >= 'A' && b <= 'Z') {
                b += 'a' - 'A';
            }
            if (b != lowerCasePrefix[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void decodeDatagram(final DirectBuffer buffer, final int length, final ReplySink sink) {
        throw new UnsupportedOperationException("http has no UDP form");
    }
}
