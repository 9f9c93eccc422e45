package dev.ringside.engine.protocol.memcached;

import java.nio.charset.StandardCharsets;

import dev.ringside.engine.protocol.raw.ByteStateFramer;

/**
 * Frames the text protocol's replies to {@code get} and {@code set}, byte by byte, so a reply split anywhere
 * frames the same as one read whole:
 * <pre>
 *   get:  (VALUE key flags bytes [cas]\r\n data \r\n)* END\r\n     a miss is END alone
 *   set:  STORED\r\n | NOT_STORED\r\n
 *   any:  ERROR\r\n | CLIENT_ERROR message\r\n | SERVER_ERROR message\r\n
 * </pre>
 * {@code ERROR}, {@code CLIENT_ERROR}, {@code SERVER_ERROR} (which may also cut a {@code get} short) and
 * {@code NOT_STORED} (a plain {@code set} is never refused unless the server cannot keep the item) are
 * {@link #ERROR_REPLY}s. The start of each line is copied into a small fixed array to be classified; the
 * data block is skipped by its announced length. {@link #MALFORMED}: any other line, a line not ended by
 * {@code \r\n}, a line longer than {@link #MAX_LINE_BYTES}, a bad {@code VALUE} line, a data block not
 * followed by {@code \r\n}, or one longer than {@link #MAX_VALUE_BYTES}.
 */
public final class MemcachedReplyFramer extends ByteStateFramer {
    /** Longest reply line accepted (an error message included). */
    public static final int MAX_LINE_BYTES = 8 * 1024;
    /** Largest value accepted (memcached's own ceiling for {@code -I}). */
    public static final long MAX_VALUE_BYTES = 1024L * 1024 * 1024;

    private static final byte[] VALUE = ascii("VALUE ");
    private static final byte[] END = ascii("END");
    private static final byte[] STORED = ascii("STORED");
    private static final byte[] NOT_STORED = ascii("NOT_STORED");
    private static final byte[] ERROR = ascii("ERROR");
    private static final byte[] CLIENT_ERROR = ascii("CLIENT_ERROR");
    private static final byte[] SERVER_ERROR = ascii("SERVER_ERROR");
    /** Enough for {@code VALUE}, a 250-byte key and three 20-digit numbers. */
    private static final int CAPTURE_BYTES = 6 + MemcachedCommands.MAX_KEY_BYTES + 3 * 21 + 1;

    private static final int LINE = 0;
    private static final int LINE_FEED = 1;
    private static final int DATA_CR = 2;
    private static final int DATA_LF = 3;

    private final byte[] line = new byte[CAPTURE_BYTES];
    private int lineBytes;
    private int state = LINE;
    private boolean inGet;

    @Override
    protected int onByte(final byte b) {
        switch (state) {
            case LINE:
                if (b == '\r') {
                    state = LINE_FEED;
                    return NEED_MORE;
                }
                if (b == '\n' || lineBytes == MAX_LINE_BYTES) {
                    return MALFORMED;
                }
                if (lineBytes < CAPTURE_BYTES) {
                    line[lineBytes] = b;
                }
                lineBytes++;
                return NEED_MORE;
            case LINE_FEED:
                if (b != '\n') {
                    return MALFORMED;
                }
                state = LINE;
                final int result = onLine();
                lineBytes = 0;
                return result;
            case DATA_CR:
                if (b != '\r') {
                    return MALFORMED;
                }
                state = DATA_LF;
                return NEED_MORE;
            case DATA_LF:
                if (b != '\n') {
                    return MALFORMED;
                }
                state = LINE;
                return NEED_MORE;
            default:
                throw new IllegalStateException("state " + state);
        }
    }

    private int onLine() {
        if (is(END)) {
            inGet = false;
            return REPLY;
        }
        if (startsWith(VALUE)) {
            return onValueLine();
        }
        if (is(ERROR) || isMessage(CLIENT_ERROR) || isMessage(SERVER_ERROR)) {
            inGet = false;
            return ERROR_REPLY;
        }
        if (inGet) {
            return MALFORMED;
        }
        if (is(STORED)) {
            return REPLY;
        }
        return is(NOT_STORED) ? ERROR_REPLY : MALFORMED;
    }

    /** {@code VALUE key flags bytes [cas]}: single spaces, a key of 1..250 bytes, digits for the rest. */
    private int onValueLine() {
        if (lineBytes > CAPTURE_BYTES) {
            return MALFORMED;
        }
        int at = VALUE.length;
        final int keyEnd = indexOfSpace(at);
        if (keyEnd <= at || keyEnd - at > MemcachedCommands.MAX_KEY_BYTES) {
            return MALFORMED;
        }
        long bytes = -1;
        int fields = 0;
        at = keyEnd + 1;
        while (at <= lineBytes) {
            final int end = Math.min(indexOfSpace(at), lineBytes);
            if (end == at || end - at > 20) {
                return MALFORMED;
            }
            long value = 0;
            for (int i = at; i < end; i++) {
                if (line[i] < '0' || line[i] > '9') {
                    return MALFORMED;
                }
                value = value * 10 + (line[i] - '0'); // only the length (<= 1 GiB) is used; the rest may wrap
            }
            if (++fields == 2) {
                if (end - at > 10 || value > MAX_VALUE_BYTES) {
                    return MALFORMED;
                }
                bytes = value;
            }
            at = end + 1;
        }
        if (fields != 2 && fields != 3) {
            return MALFORMED;
        }
        inGet = true;
        skip(bytes);
        state = DATA_CR;
        return NEED_MORE;
    }

    private int indexOfSpace(final int from) {
        for (int i = from; i < lineBytes; i++) {
            if (line[i] == ' ') {
                return i;
            }
        }
        return lineBytes;
    }

    private boolean is(final byte[] word) {
        return lineBytes == word.length && startsWith(word);
    }

    /** The word alone, or followed by a space and a message. */
    private boolean isMessage(final byte[] word) {
        return startsWith(word) && (lineBytes == word.length || line[word.length] == ' ');
    }

    private boolean startsWith(final byte[] word) {
        if (lineBytes < word.length) {
            return false;
        }
        for (int i = 0; i < word.length; i++) {
            if (line[i] != word[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] ascii(final String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
