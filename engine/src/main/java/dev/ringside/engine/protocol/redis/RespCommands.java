package dev.ringside.engine.protocol.redis;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.ringside.engine.protocol.raw.CommandWords;
import dev.ringside.engine.protocol.raw.RequestRotation;

/**
 * Encodes {@code --command} texts ({@code SET k v}, words split as redis-cli does) as RESP arrays of bulk
 * strings, the form every Redis command takes on the wire: {@code *3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n}.
 */
public final class RespCommands {
    private RespCommands() {
    }

    /**
     * Encodes commands for round-robin sending.
     *
     * @param commands the {@code --command} values, at least one
     * @return the encoded requests
     * @throws IllegalArgumentException when there is no command or one cannot be split into words
     */
    public static RequestRotation encode(final List<String> commands) {
        if (commands.isEmpty()) {
            throw new IllegalArgumentException("redis needs at least one --command, for example --command PING");
        }
        final List<byte[]> requests = new ArrayList<>(commands.size());
        for (final String command : commands) {
            requests.add(encodeWords(CommandWords.split("--command", command)));
        }
        return new RequestRotation(requests);
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
