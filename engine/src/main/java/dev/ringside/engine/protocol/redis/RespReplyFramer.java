package dev.ringside.engine.protocol.redis;

import dev.ringside.engine.protocol.raw.ByteStateFramer;

/**
 * Frames RESP2 replies (https://redis.io/docs/latest/develop/reference/protocol-spec/) byte by byte, so a
 * reply split anywhere frames the same as one read whole, and nothing is kept in the ring:
 * <pre>
 *   +simple string\r\n          -error message\r\n        :integer\r\n
 *   $length\r\n bytes \r\n       $-1\r\n (null bulk string)
 *   *count\r\n element...         *-1\r\n (null array)       elements may be arrays (nested)
 * </pre>
 * A reply is one top-level value; it is an {@link #ERROR_REPLY} when it is an error or contains one (as
 * {@code EXEC} does when a queued command failed). Open arrays are a stack of remaining element counts, at
 * most {@link #MAX_DEPTH} deep. {@link #MALFORMED}: an unknown type byte (RESP3 types included: the
 * generator never sends {@code HELLO 3}), a bad or missing digit, a length other than -1 below zero, a bulk
 * string longer than {@link #MAX_BULK_BYTES} (Redis's own {@code proto-max-bulk-len}), a simple line longer
 * than {@link #MAX_LINE_BYTES}, a bare {@code \r} or {@code \n}, or nesting deeper than the stack.
 */
public final class RespReplyFramer extends ByteStateFramer {
    /** Deepest array nesting accepted. */
    public static final int MAX_DEPTH = 32;
    /** Longest bulk string accepted (Redis's default {@code proto-max-bulk-len}). */
    public static final long MAX_BULK_BYTES = 512L * 1024 * 1024;
    /** Longest simple string or error line accepted. */
    public static final int MAX_LINE_BYTES = 64 * 1024;

    private static final int TYPE = 0;
    private static final int LINE = 1;
    private static final int NUMBER = 2;
    private static final int LINE_FEED = 3;
    private static final int BULK_END = 4;

    /** What the number being read is. */
    private static final int INTEGER = 0;
    private static final int BULK_LENGTH = 1;
    private static final int ARRAY_LENGTH = 2;
    /** What the line feed being awaited ends. */
    private static final int ENDS_VALUE = 0;
    private static final int ENDS_NUMBER = 1;

    private final long[] remainingElements = new long[MAX_DEPTH];
    private int depth;
    private int state = TYPE;
    private int numberKind;
    private int lineFeedEnds;
    private long number;
    private int digits;
    private boolean negative;
    private int lineBytes;
    private boolean error;

    @Override
    protected int onByte(final byte b) {
        switch (state) {
            case TYPE:
                return onType(b);
            case LINE:
                if (b == '\r') {
                    state = LINE_FEED;
                    lineFeedEnds = ENDS_VALUE;
                    return NEED_MORE;
                }
                return b == '\n' || ++lineBytes > MAX_LINE_BYTES ? MALFORMED : NEED_MORE;
            case NUMBER:
                return onNumberByte(b);
            case LINE_FEED:
                if (b != '\n') {
                    return MALFORMED;
                }
                return lineFeedEnds == ENDS_NUMBER ? onNumber() : onValueEnd();
            case BULK_END:
                if (b != '\r') {
                    return MALFORMED;
                }
                state = LINE_FEED;
                lineFeedEnds = ENDS_VALUE;
                return NEED_MORE;
            default:
                throw new IllegalStateException("state " + state);
        }
    }

    private int onType(final byte b) {
        switch (b) {
            case '-':
                error = true;
                return startLine();
            case '+':
                return startLine();
            case ':':
                return startNumber(INTEGER);
            case '$':
                return startNumber(BULK_LENGTH);
            case '*':
                return startNumber(ARRAY_LENGTH);
            default:
                return MALFORMED;
        }
    }

    private int startLine() {
        state = LINE;
        lineBytes = 0;
        return NEED_MORE;
    }

    private int startNumber(final int kind) {
        state = NUMBER;
        numberKind = kind;
        number = 0;
        digits = 0;
        negative = false;
        return NEED_MORE;
    }

    private int onNumberByte(final byte b) {
        if (b >= '0' && b <= '9') {
            // 18 digits cannot overflow a long; an integer reply has at most 19, a length far fewer.
            if (++digits > 18) {
                return MALFORMED;
            }
            number = number * 10 + (b - '0');
            return NEED_MORE;
        }
        if (b == '-' && digits == 0 && !negative) {
            negative = true;
            return NEED_MORE;
        }
        if (b == '\r' && digits > 0) {
            state = LINE_FEED;
            lineFeedEnds = ENDS_NUMBER;
            return NEED_MORE;
        }
        return MALFORMED;
    }

    private int onNumber() {
        if (numberKind == INTEGER) {
            return onValueEnd();
        }
        if (negative) {
            // "$-1" and "*-1" are the null bulk string and the null array: complete values. Nothing else below 0.
            return number == 1 ? onValueEnd() : MALFORMED;
        }
        if (numberKind == BULK_LENGTH) {
            if (number > MAX_BULK_BYTES) {
                return MALFORMED;
            }
            skip(number);
            state = BULK_END;
            return NEED_MORE;
        }
        if (number == 0) {
            return onValueEnd();
        }
        if (depth == MAX_DEPTH) {
            return MALFORMED;
        }
        remainingElements[depth++] = number;
        state = TYPE;
        return NEED_MORE;
    }

    /** A value ended: it completes the reply unless it is an element of an array still open. */
    private int onValueEnd() {
        state = TYPE;
        while (depth > 0) {
            if (--remainingElements[depth - 1] > 0) {
                return NEED_MORE;
            }
            depth--;
        }
        final int result = error ? ERROR_REPLY : REPLY;
        error = false;
        return result;
    }
}
