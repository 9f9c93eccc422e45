package dev.ringside.engine.protocol.redis;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.ringside.engine.protocol.raw.CommandWords;

/**
 * Encodes {@code --command} texts ({@code SET k v}, words split as redis-cli does) as RESP arrays of bulk
 * strings, the form every Redis command takes on the wire: {@code *3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n}.
 */
public final class RespCommands {
    private RespCommands() {
    }

    /**
     * Encodes one command.
     *
     * @param command a {@code --command} value, such as {@code SET k "a b"}
     * @return the RESP array carrying its words
     * @throws IllegalArgumentException when it is empty, a quote is not closed or an escape is bad
     */
    public static byte[] encode(final String command) {
        return encodeWords(CommandWords.split("it", command));
    }

    /**
     * @param words a command's words
     * @return the RESP array carrying them
     */
    public static byte[] encodeWords(final List<byte[]> words) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("*" + words.size() + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (final byte[] word : words) {
            out.writeBytes(("$" + word.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(word);
            out.write('\r');
            out.write('\n');
        }
        return out.toByteArray();
    }
}
