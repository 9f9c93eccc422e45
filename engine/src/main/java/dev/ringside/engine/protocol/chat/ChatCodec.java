package dev.ringside.engine.protocol.chat;

import dev.ringside.engine.buffer.ByteRing;
import dev.ringside.engine.protocol.ClientCodec;
import dev.ringside.engine.protocol.PayloadPattern;
import dev.ringside.engine.protocol.ReplyFault;
import dev.ringside.engine.protocol.ReplySink;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Chat lines that carry their own measurement: a publisher writes
 * {@code P<publisher:8 hex><seq:16 hex><intended:16 hex><sent:16 hex><padding>\n}, {@code size} bytes in all
 * with the newline, the times being the generator's nanosecond clock; every member that receives the line
 * records receipt − intended (corrected) and receipt − sent (uncorrected). The padding is letters derived from
 * publisher and sequence and is verified. The generator's line is taken from the end of each received line,
 * so a server that prefixes lines with the sender's name still works; lines that hold no generator line are
 * counted as foreign and ignored.
 */
public final class ChatCodec implements ClientCodec {
    /** Shortest line: marker, four hex fields, newline. */
    public static final int MIN_LINE_BYTES = 1 + 8 + 16 + 16 + 16 + 1;
    /** Longest line (the chat server's default limit). */
    public static final int MAX_LINE_BYTES = 4096;

    private static final byte MARKER = 'P';
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final int PUBLISHER_AT = 1;
    private static final int SEQ_AT = 9;
    private static final int INTENDED_AT = 25;
    private static final int SENT_AT = 41;
    private static final int PADDING_AT = 57;

    private final int publisher;
    private final int size;
    private long scanFrom = -1;

    public ChatCodec(final int publisher, final int size) {
        this.publisher = publisher;
        this.size = size;
    }

    @Override
    public int maxRequestBytes() {
        return size;
    }

    @Override
    public int encode(final MutableDirectBuffer buffer, final long seq, final long intendedNs, final long sentNs) {
        buffer.putByte(0, MARKER);
        putHex(buffer, PUBLISHER_AT, publisher, 8);
        putHex(buffer, SEQ_AT, seq, 16);
        putHex(buffer, INTENDED_AT, intendedNs, 16);
        putHex(buffer, SENT_AT, sentNs, 16);
        final long seed = PayloadPattern.seed(publisher, seq);
        for (int i = PADDING_AT; i < size - 1; i++) {
            buffer.putByte(i, paddingByte(seq, seed, i));
        }
        buffer.putByte(size - 1, (byte) '\n');
        return size;
    }

    private static byte paddingByte(final long seq, final long seed, final int offset) {
        return (byte) ('a' + ((PayloadPattern.byteAt(seq, seed, offset) & 0xFF) % 26));
    }

    private static void putHex(final MutableDirectBuffer buffer, final int index, final long value, final int digits) {
        for (int i = 0; i < digits; i++) {
            buffer.putByte(index + i, HEX[(int) (value >>> ((digits - 1 - i) << 2)) & 0xF]);
        }
    }

    @Override
    public int decode(final ByteRing inbound, final ReplySink sink) {
        int lines = 0;
        while (!inbound.isEmpty()) {
            final long start = inbound.readPosition();
            final long newline = inbound.indexOf((byte) '\n', Math.max(start, scanFrom));
            if (newline < 0) {
                if (inbound.readableBytes() > MAX_LINE_BYTES * 2) {
                    return MALFORMED;
                }
                scanFrom = inbound.writePosition();
                return lines;
            }
            scanFrom = -1;
            int length = (int) (newline - start);
            if (length > 0 && inbound.getByte(newline - 1) == '\r') {
                length--;
            }
            onLine(inbound, start, length, sink);
            inbound.consume((int) (newline - start) + 1);
            lines++;
        }
        return lines;
    }

    private void onLine(final ByteRing in, final long lineStart, final int length, final ReplySink sink) {
        final int body = size - 1;
        if (length < body || in.getByte(lineStart + length - body) != MARKER) {
            sink.onForeignLine();
            return;
        }
        final long start = lineStart + length - body;
        final long from = readHex(in, start + PUBLISHER_AT, 8);
        final long seq = readHex(in, start + SEQ_AT, 16);
        final long intendedNs = readHex(in, start + INTENDED_AT, 16);
        final long sentNs = readHex(in, start + SENT_AT, 16);
        if (from < 0 || seq == Long.MIN_VALUE || intendedNs == Long.MIN_VALUE || sentNs == Long.MIN_VALUE
            || from > Integer.MAX_VALUE) {
            sink.onDelivery(-1, 0, 0, 0, ReplyFault.MISMATCH);
            return;
        }
        final long seed = PayloadPattern.seed((int) from, seq);
        for (int i = PADDING_AT; i < body; i++) {
            if (in.getByte(start + i) != paddingByte(seq, seed, i)) {
                sink.onDelivery((int) from, seq, intendedNs, sentNs, ReplyFault.MISMATCH);
                return;
            }
        }
        sink.onDelivery((int) from, seq, intendedNs, sentNs, null);
    }

    /** @return the value, or {@link Long#MIN_VALUE} (or -1 for 8 digits) when a character is not hex */
    private static long readHex(final ByteRing in, final long position, final int digits) {
        long value = 0;
        for (int i = 0; i < digits; i++) {
            final int c = in.getByte(position + i);
            final int nibble;
            if (c >= '0' && c <= '9') {
                nibble = c - '0';
            } else if (c >= 'a' && c <= 'f') {
                nibble = c - 'a' + 10;
            } else {
                return digits == 8 ? -1 : Long.MIN_VALUE;
            }
            value = (value << 4) | nibble;
        }
        return value;
    }

    @Override
    public void decodeDatagram(final DirectBuffer buffer, final int length, final ReplySink sink) {
        throw new UnsupportedOperationException("chat has no UDP form");
    }
}
