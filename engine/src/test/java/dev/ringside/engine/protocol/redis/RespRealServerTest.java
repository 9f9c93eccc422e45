package dev.ringside.engine.protocol.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.util.List;

import dev.ringside.engine.testing.RealServer;
import dev.ringside.engine.testing.ReplyStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** RESP framing against the real redis-server (Debian package {@code redis-server}): every reply type it sends. */
class RespRealServerTest {
    @Test
    @Timeout(60)
    void shouldFrameEveryReplyOfTheRealServer() throws Exception {
        final String big = "x".repeat(70_000); // several times the 4 KiB test ring: wraps it many times
        final List<String> commands = List.of("PING", "SET k hello", "GET k", "GET missing", "INCR n", "SET big " + big,
            "GET big", "RPUSH l a b c", "LRANGE l 0 -1", "LRANGE none 0 -1", "NOSUCHCOMMAND x", "HGETALL k",
            "MULTI", "PING", "INCR k", "EXEC", "COMMAND INFO get set", "PING \"a b\\r\\nc\"");
        final ByteArrayOutputStream requests = new ByteArrayOutputStream();
        for (int round = 0; round < 20; round++) {
            for (final String command : commands) {
                requests.writeBytes(RespCommands.encode(command));
            }
        }
        // Unknown command, wrong type and an EXEC whose INCR failed are error replies; the rest are replies.
        final String round = "RRRRRRRRRREE" + "RRRE" + "RR";
        try (RealServer redis = RealServer.redis()) {
            assertEquals(round.repeat(20), ReplyStream.exchange(redis.address(), requests.toByteArray(),
                new RespReplyFramer(), commands.size() * 20));
        }
    }
}
