package dev.ringside.engine.protocol;

import java.nio.ByteOrder;

import dev.ringside.engine.buffer.ByteRing;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The bytes of a generated message, derived from its connection and sequence number so that every echoed
 * byte can be checked without storing what was sent: bytes 0..7 hold the sequence number (big-endian) and
 * each later byte comes from a 64-bit seed mixed from connection and sequence. A reply with a byte from
 * another connection, another message, or a shifted stream differs from the expectation.
 *
 * <p>Fill and checks go a word at a time where the message's 8-byte words are whole ({@link #wordAt}: the same
 * bytes as {@link #byteAt}, eight at once), because the generator writes and verifies every byte of every
 * message and byte-by-byte work was the largest part of its own time per message.
 */
public final class PayloadPattern {
    private PayloadPattern() {
    }

    /**
     * @param connectionId the connection's global index
     * @param seq          the message's sequence number
     * @return the seed of that message's pattern
     */
    public static long seed(final int connectionId, final long seq) {
        // SplitMix64's finaliser: consecutive inputs give unrelated outputs.
        long z = connectionId * 0x9E3779B97F4A7C15L + seq + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * @param seq    the message's sequence number
     * @param seed   its seed
     * @param offset offset of the byte in the message
     * @return the byte at that offset
     */
    public static byte byteAt(final long seq, final long seed, final int offset) {
        if (offset < Long.BYTES) {
            return (byte) (seq >>> (56 - (offset << 3)));
        }
        return (byte) ((seed >>> ((offset & 7) << 3)) + (offset >>> 3));
    }

    /**
     * The message's 8-byte word {@code word} (bytes {@code 8 × word} to {@code 8 × word + 7}) as a little-endian
     * {@code long}: byte {@code j} of the word is {@code byteAt(seq, seed, 8 × word + j)}.
     *
     * @param seq  the message's sequence number
     * @param seed its seed
     * @param word index of the word in the message
     * @return the word, lowest byte first
     */
    public static long wordAt(final long seq, final long seed, final int word) {
        if (word == 0) {
            return Long.reverseBytes(seq); // the big-endian sequence number
        }
        // Each byte of the seed plus the word index, modulo 256 per byte (no carry between bytes): SWAR addition.
        final long add = (word & 0xFFL) * 0x0101010101010101L;
        return ((seed & 0x7F7F7F7F7F7F7F7FL) + (add & 0x7F7F7F7F7F7F7F7FL)) ^ ((seed ^ add) & 0x8080808080808080L);
    }

    /**
     * Writes a message's bytes {@code [fromOffset, fromOffset + length)}.
     *
     * @param buffer      destination
     * @param index       where in the destination the byte at {@code fromOffset} goes
     * @param length      how many bytes
     * @param seq         the message's sequence number
     * @param seed        its seed
     * @param fromOffset  message offset of the first byte written
     */
    public static void fill(final MutableDirectBuffer buffer, final int index, final int length, final long seq,
        final long seed, final int fromOffset) {
        int i = 0;
        for (; i < length && ((fromOffset + i) & 7) != 0; i++) {
            buffer.putByte(index + i, byteAt(seq, seed, fromOffset + i));
        }
        for (; length - i >= Long.BYTES; i += Long.BYTES) {
            buffer.putLong(index + i, wordAt(seq, seed, (fromOffset + i) >>> 3), ByteOrder.LITTLE_ENDIAN);
        }
        for (; i < length; i++) {
            buffer.putByte(index + i, byteAt(seq, seed, fromOffset + i));
        }
    }

    /**
     * Checks received bytes against a message's pattern without consuming them.
     *
     * @param ring       holds the received bytes
     * @param position   ring position of the first byte to check
     * @param length     how many bytes
     * @param seq        the message's sequence number
     * @param seed       its seed
     * @param fromOffset message offset of the first byte checked
     * @return whether every byte matches
     */
    public static boolean matches(final ByteRing ring, final long position, final int length, final long seq,
        final long seed, final int fromOffset) {
        int i = 0;
        for (; i < length && ((fromOffset + i) & 7) != 0; i++) {
            if (ring.getByte(position + i) != byteAt(seq, seed, fromOffset + i)) {
                return false;
            }
        }
        long difference = 0;
        for (; length - i >= Long.BYTES; i += Long.BYTES) {
            difference |= ring.getLongLittleEndian(position + i) ^ wordAt(seq, seed, (fromOffset + i) >>> 3);
        }
        if (difference != 0) {
            return false;
        }
        for (; i < length; i++) {
            if (ring.getByte(position + i) != byteAt(seq, seed, fromOffset + i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Checks a whole message held in a buffer.
     *
     * @param buffer       holds the message
     * @param index        where it starts
     * @param length       its length
     * @param seq          its sequence number
     * @param connectionId the connection's global index
     * @param size         the expected length
     * @return whether it is exactly the expected message
     */
    public static boolean verify(final DirectBuffer buffer, final int index, final int length, final long seq,
        final int connectionId, final int size) {
        if (length != size) {
            return false;
        }
        final long seed = PayloadPattern.seed(connectionId, seq);
        long difference = 0;
        int i = 0;
        for (; length - i >= Long.BYTES; i += Long.BYTES) {
            difference |= buffer.getLong(index + i, ByteOrder.LITTLE_ENDIAN) ^ wordAt(seq, seed, i >>> 3);
        }
        for (; i < length; i++) {
            if (buffer.getByte(index + i) != byteAt(seq, seed, i)) {
                return false;
            }
        }
        return difference == 0;
    }
}
