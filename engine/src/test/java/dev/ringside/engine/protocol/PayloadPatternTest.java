package dev.ringside.engine.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import dev.ringside.engine.buffer.ByteRing;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * The payload pattern must expose a stream that lost, repeated or reordered whole 8-byte words, not only
 * single flipped bytes: the generator's byte verification rests on it.
 */
class PayloadPatternTest {
    private static final int LENGTH = 256;

    /**
     * Catches: {@code byteAt} without {@code + (offset >>> 3)}, a pattern that repeats every 8 bytes, so an
     * echo that dropped one 8-byte word (or duplicated one) would still verify.
     */
    @Test
    void shouldRejectAStreamThatLostOrRepeatedAnEightByteWord() {
        for (int connection = 0; connection < 50; connection++) {
            for (long seq = 0; seq < 20; seq++) {
                final long seed = PayloadPattern.seed(connection, seq);
                final byte[] message = message(seq, seed);
                // Offsets 16..: what arrives when the word at 16..23 was lost.
                final byte[] lost = new byte[LENGTH - 24];
                System.arraycopy(message, 24, lost, 0, lost.length);
                assertFalse(matches(lost, seq, seed, 16), "lost word, connection " + connection + " seq " + seq);
                // Offsets 24..: what arrives when the word at 16..23 came twice.
                final byte[] repeated = new byte[LENGTH - 24];
                System.arraycopy(message, 16, repeated, 0, repeated.length);
                assertFalse(matches(repeated, seq, seed, 24), "repeated word, connection " + connection);
                final byte[] tail = new byte[LENGTH - 16];
                System.arraycopy(message, 16, tail, 0, tail.length);
                assertTrue(matches(tail, seq, seed, 16), "the true bytes verify from any offset");
            }
        }
    }

    /**
     * Neighbouring bytes differ almost always, so two bytes swapped within a word are caught too.
     * Written against PIT's surviving mutant {@code (offset & 7) << 3} as {@code >> 3} (every byte of a word
     * the same).
     */
    @Test
    void shouldRejectTwoNeighbouringBytesSwapped() {
        int caught = 0;
        int pairs = 0;
        for (long seq = 0; seq < 20; seq++) {
            final long seed = PayloadPattern.seed(9, seq);
            final byte[] message = message(seq, seed);
            for (int i = Long.BYTES; i + 1 < LENGTH; i++) {
                final byte[] swapped = message.clone();
                swapped[i] = message[i + 1];
                swapped[i + 1] = message[i];
                pairs++;
                if (!matches(swapped, seq, seed, 0)) {
                    caught++;
                }
            }
        }
        assertTrue(caught > pairs * 0.95, caught + " of " + pairs + " swaps caught");
    }

    @Test
    void shouldStartWithTheSequenceNumberAndDifferBetweenMessagesAndConnections() {
        final long seq = 0x0102030405060708L;
        final byte[] message = message(seq, PayloadPattern.seed(3, seq));
        for (int i = 0; i < Long.BYTES; i++) {
            assertEquals(i + 1, message[i], "big-endian sequence number, byte " + i);
        }
        final Set<Long> seeds = new HashSet<>();
        for (int connection = 0; connection < 100; connection++) {
            for (long s = 0; s < 100; s++) {
                seeds.add(PayloadPattern.seed(connection, s));
            }
        }
        assertEquals(10_000, seeds.size(), "every (connection, seq) has its own seed");
        assertNotEquals(PayloadPattern.seed(1, 0), PayloadPattern.seed(0, 1));
    }

    @Test
    void shouldFillAnyWindowOfAMessageWithTheSameBytesAsByteAt() {
        final long seq = 77;
        final long seed = PayloadPattern.seed(5, seq);
        final byte[] whole = message(seq, seed);
        final UnsafeBuffer window = new UnsafeBuffer(new byte[100]);
        PayloadPattern.fill(window, 10, 50, seq, seed, 33);
        for (int i = 0; i < 50; i++) {
            assertEquals(whole[33 + i], window.getByte(10 + i), "offset " + (33 + i));
        }
        assertEquals(0, window.getByte(9), "nothing written before the window");
        assertEquals(0, window.getByte(60), "nothing written after the window");
    }

    /**
     * The word-at-a-time forms agree with {@code byteAt} byte for byte: every word of long messages (word indexes
     * past 255 wrap modulo 256, as the byte form does) and carries kept inside each byte. Catches a SWAR sum that
     * lets a carry cross into the next byte, a word 0 in the wrong byte order, and a fill that skips its tail.
     */
    @Test
    void shouldWriteTheSameBytesAsByteAtAWordAtATime() {
        for (int connection = 0; connection < 20; connection++) {
            final long seq = connection * 1_000_003L;
            final long seed = PayloadPattern.seed(connection, seq);
            for (int word = 0; word < 600; word++) {
                final long value = PayloadPattern.wordAt(seq, seed, word);
                for (int j = 0; j < Long.BYTES; j++) {
                    assertEquals(PayloadPattern.byteAt(seq, seed, word * 8 + j), (byte) (value >>> (8 * j)),
                        "connection " + connection + " word " + word + " byte " + j);
                }
            }
            for (int from = 0; from < 24; from++) {
                for (int length = 0; length < 40; length++) {
                    final UnsafeBuffer window = new UnsafeBuffer(new byte[length + 2]);
                    PayloadPattern.fill(window, 1, length, seq, seed, from);
                    for (int i = 0; i < length; i++) {
                        assertEquals(PayloadPattern.byteAt(seq, seed, from + i), window.getByte(1 + i));
                    }
                    assertEquals(0, window.getByte(0));
                    assertEquals(0, window.getByte(length + 1), "nothing written past the window");
                }
            }
        }
    }

    /**
     * Every single flipped byte fails the check, whatever the window's offset in the message and wherever the ring
     * wraps: the word-at-a-time compare must see each byte. Catches a word compare that ignores a word (or the
     * tail after the last whole word).
     */
    @Test
    void shouldRejectAnyFlippedByteWhateverTheOffsetAndTheWrap() {
        final int size = 77;
        final long seq = 5;
        final long seed = PayloadPattern.seed(2, seq);
        final UnsafeBuffer message = new UnsafeBuffer(new byte[size]);
        PayloadPattern.fill(message, 0, size, seq, seed, 0);
        assertTrue(PayloadPattern.verify(message, 0, size, seq, 2, size));
        // Catches verify accepting a message of another length (a truncated or padded echo).
        assertFalse(PayloadPattern.verify(message, 0, size - 1, seq, 2, size), "one byte short");
        assertFalse(PayloadPattern.verify(message, 0, size, seq, 2, size + 1), "one byte more expected");
        for (int flip = 0; flip < size; flip++) {
            final byte[] bad = message.byteArray().clone();
            bad[flip] ^= 0x20;
            assertFalse(PayloadPattern.verify(new UnsafeBuffer(bad), 0, size, seq, 2, size), "verify, byte " + flip);
            for (int from = 0; from <= flip; from += 3) {
                for (int wrapAt = 0; wrapAt < 16; wrapAt += 5) {
                    final ByteRing ring = ByteRing.allocate(128);
                    ring.write(new UnsafeBuffer(new byte[128 - wrapAt]), 0, 128 - wrapAt);
                    ring.consume(128 - wrapAt);
                    ring.write(new UnsafeBuffer(bad), from, size - from);
                    assertTrue(PayloadPattern.matches(ring, ring.readPosition(), flip - from, seq, seed, from));
                    assertFalse(PayloadPattern.matches(ring, ring.readPosition(), size - from, seq, seed, from),
                        "byte " + flip + " from " + from + " wrap " + wrapAt);
                }
            }
        }
    }

    private static byte[] message(final long seq, final long seed) {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[LENGTH]);
        PayloadPattern.fill(buffer, 0, LENGTH, seq, seed, 0);
        return buffer.byteArray();
    }

    private static boolean matches(final byte[] received, final long seq, final long seed, final int fromOffset) {
        final ByteRing ring = ByteRing.allocate(512);
        ring.write(new UnsafeBuffer(received), 0, received.length);
        return PayloadPattern.matches(ring, ring.readPosition(), received.length, seq, seed, fromOffset);
    }
}
