package dev.ringside.engine.protocol.memcached;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.ringside.engine.protocol.raw.CommandWords;

/**
 * Encodes {@code --command} texts in the form users know from the Redis side, which the text protocol
 * then spells out (https://github.com/memcached/memcached/blob/master/doc/protocol.txt):
 * <pre>
 *   get KEY [KEY...]   →  get KEY [KEY...]\r\n
 *   set KEY VALUE      →  set KEY 0 0 LENGTH\r\nVALUE\r\n      (flags 0, no expiry; the length is counted)
 * </pre>
 * Words split as redis-cli does, so a value may be quoted and use C escapes ({@code set k "a b\r\n"}).
 * Only these two commands: the reply framer knows exactly the replies they can draw, and a get/set mix in a
 * chosen ratio is written by repeating {@code --command} (nine gets and one set is a 9:1 mix).
 */
public final class MemcachedCommands {
    /** Longest key the server accepts. */
    public static final int MAX_KEY_BYTES = 250;

    private MemcachedCommands() {
    }

    /**
     * Encodes one command.
     *
     * @param command a {@code --command} value
     * @return its wire bytes
     * @throws IllegalArgumentException saying why it is not a valid get or set
     */
    public static byte[] encode(final String command) {
        final List<byte[]> words = CommandWords.split("it", command);
        final String verb = new String(words.get(0), StandardCharsets.UTF_8);
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        if ("get".equals(verb)) {
            if (words.size() < 2) {
                throw new IllegalArgumentException("get needs a key");
            }
            out.writeBytes(ascii("get"));
            for (int i = 1; i < words.size(); i++) {
                out.write(' ');
                out.writeBytes(key(words.get(i)));
            }
        } else if ("set".equals(verb)) {
            if (words.size() != 3) {
                throw new IllegalArgumentException("set takes a key and a value"
                    + " (quote a value with spaces)");
            }
            final byte[] value = words.get(2);
            out.writeBytes(ascii("set "));
            out.writeBytes(key(words.get(1)));
            out.writeBytes(ascii(" 0 0 " + value.length + "\r\n"));
            out.writeBytes(value);
        } else {
            throw new IllegalArgumentException("memcached commands are 'get KEY...'"
                + " and 'set KEY VALUE'");
        }
        out.write('\r');
        out.write('\n');
        return out.toByteArray();
    }

    private static byte[] key(final byte[] key) {
        if (key.length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("a key is at most " + MAX_KEY_BYTES
                + " bytes");
        }
        for (final byte b : key) {
            if ((b & 0xFF) <= ' ' || b == 0x7F) {
                throw new IllegalArgumentException("a key has no spaces or control"
                    + " characters");
            }
        }
        return key;
    }

    private static byte[] ascii(final String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
