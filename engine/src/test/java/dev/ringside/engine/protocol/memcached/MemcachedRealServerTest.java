package dev.ringside.engine.protocol.memcached;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.ringside.engine.testing.RealServer;
import dev.ringside.engine.testing.ReplyStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Memcached framing against the real memcached (Debian package {@code memcached}): hits, misses, stores, errors. */
class MemcachedRealServerTest {
    @Test
    @Timeout(60)
    void shouldFrameEveryReplyOfTheRealServer() throws Exception {
        final String big = "y".repeat(70_000); // several times the 4 KiB test ring: wraps it many times
        final List<String> commands = List.of("set k hello", "get k", "get missing", "get k missing k",
            "set big " + big, "get big", "set e \"\"", "get e", "set crlf \"END\\r\\nVALUE\"", "get crlf k");
        final ByteArrayOutputStream requests = new ByteArrayOutputStream();
        for (int round = 0; round < 20; round++) {
            for (final String command : commands) {
                requests.writeBytes(MemcachedCommands.encode(command));
            }
            requests.writeBytes("bogus\r\n".getBytes(StandardCharsets.US_ASCII)); // ERROR
            requests.writeBytes("set k 0 0 3\r\ntoolong\r\n".getBytes(StandardCharsets.US_ASCII)); // CLIENT_ERROR
        }
        // memcached answers a bad data chunk with CLIENT_ERROR and then ERROR for the rest of the line it
        // reads as a command: two error replies.
        final String round = "RRRRRRRRRR" + "E" + "EE";
        try (RealServer memcached = RealServer.memcached()) {
            assertEquals(round.repeat(20), ReplyStream.exchange(memcached.address(), requests.toByteArray(),
                new MemcachedReplyFramer(), round.length() * 20));
        }
    }
}
