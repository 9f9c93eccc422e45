package dev.ringside.engine.protocol.raw;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

class CEscapesTest {
    @Test
    void shouldDecodeEveryEscapeAndKeepTheRest() {
        assertArrayEquals(new byte[] {'P', 'I', 'N', 'G', '\r', '\n'}, CEscapes.decode("--message", "PING\\r\\n"));
        assertArrayEquals(new byte[] {0, '\t', '\\', '"', '\'', (byte) 0xFF, 'a', 0x0A},
            CEscapes.decode("--message", "\\0\\t\\\\\\\"\\'\\xffa\\x0A"));
        assertArrayEquals(new byte[] {(byte) 0xC3, (byte) 0xA9}, CEscapes.decode("--message", "é"));
        // Catches decoding "\\r" as backslash-r: the escaped backslash must not start another escape.
        assertArrayEquals(new byte[] {'\\', 'r'}, CEscapes.decode("--message", "\\\\r"));
    }

    @Test
    void shouldRejectBadEscapesInOneLineNamingThem() {
        assertEquals("--message has an unknown escape '\\q' at index 2 (escapes: " + CEscapes.KNOWN + ")",
            assertThrows(IllegalArgumentException.class, () -> CEscapes.decode("--message", "ab\\qc")).getMessage());
        for (final String bad : List.of("\\", "x\\", "\\x", "\\x4", "\\xg0", "\\x0g", "\\u0041")) {
            final String message = assertThrows(IllegalArgumentException.class,
                () -> CEscapes.decode("--reply-until", bad), bad).getMessage();
            assertEquals(1, message.lines().count(), message);
            assertEquals(true, message.startsWith("--reply-until has "), message);
        }
    }

    @Test
    void shouldSplitCommandWordsWithQuotesAsRedisCliDoes() {
        final List<byte[]> words = CommandWords.split("--command", "  SET\tkey \"a b\\r\\n\" \"\" x");
        assertEquals(5, words.size());
        assertArrayEquals("SET".getBytes(), words.get(0));
        assertArrayEquals("key".getBytes(), words.get(1));
        assertArrayEquals("a b\r\n".getBytes(), words.get(2));
        assertArrayEquals(new byte[0], words.get(3));
        assertArrayEquals("x".getBytes(), words.get(4));
        assertArrayEquals("say \"hi\"".getBytes(), CommandWords.split("--command", "\"say \\\"hi\\\"\"").get(0));
        assertThrows(IllegalArgumentException.class, () -> CommandWords.split("--command", "  "));
        assertThrows(IllegalArgumentException.class, () -> CommandWords.split("--command", "SET \"k v"));
        assertThrows(IllegalArgumentException.class, () -> CommandWords.split("--command", "SET \"k\"v"));
        assertThrows(IllegalArgumentException.class, () -> CommandWords.split("--command", "SET k\\q"));
    }

    @Test
    void shouldSendRequestsRoundRobin() {
        final RequestRotation rotation = new RequestRotation(List.of("ab".getBytes(), "cde".getBytes()));
        assertEquals(2, rotation.count());
        assertEquals(3, rotation.maxRequestBytes());
        final org.agrona.concurrent.UnsafeBuffer buffer = new org.agrona.concurrent.UnsafeBuffer(new byte[3]);
        final StringBuilder sent = new StringBuilder();
        for (long seq = 0; seq < 5; seq++) {
            final int length = rotation.write(buffer, seq);
            sent.append(buffer.getStringWithoutLengthAscii(0, length)).append('|');
        }
        assertEquals("ab|cde|ab|cde|ab|", sent.toString());
        assertThrows(IllegalArgumentException.class, () -> new RequestRotation(List.of()));
        assertThrows(IllegalArgumentException.class, () -> new RequestRotation(List.of(new byte[0])));
    }
}
