package dev.ringside.bench.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.ringside.bench.record.BenchResult;
import dev.ringside.bench.record.ErrorKind;
import dev.ringside.engine.protocol.OptionValues;
import dev.ringside.engine.protocol.ProtocolOption;
import dev.ringside.engine.protocol.ProtocolSpec;
import dev.ringside.engine.protocol.echo.EchoProtocol;
import dev.ringside.engine.protocol.memcached.Memcached;
import dev.ringside.engine.protocol.raw.Raw;
import dev.ringside.engine.protocol.redis.Redis;
import dev.ringside.engine.testing.LoopHarness;
import dev.ringside.engine.testing.RealServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code raw}, {@code redis} and {@code memcached} through the load generator, against the real redis-server
 * and memcached (Debian packages {@code redis-server}, {@code memcached}; skipped outside CI when missing) and
 * against Ringside's own echo server: every request answered and framed, open and closed loop, pipelined.
 */
class RequestReplyRunTest {
    /** The values of a protocol's client options, given as flag/value pairs as on the command line. */
    private static OptionValues options(final ProtocolSpec spec, final String... flagsAndValues) {
        final Map<ProtocolOption<?>, List<String>> texts = new LinkedHashMap<>();
        for (int i = 0; i < flagsAndValues.length; i += 2) {
            final String flag = flagsAndValues[i];
            final ProtocolOption<?> option = spec.clientOptions().stream().filter(o -> o.name().equals(flag))
                .findFirst().orElseThrow(() -> new AssertionError(spec.name() + " has no " + flag));
            texts.computeIfAbsent(option, o -> new ArrayList<>()).add(flagsAndValues[i + 1]);
        }
        return OptionValues.parse(texts);
    }

    private static BenchSettings quick(final InetSocketAddress target, final ProtocolSpec spec,
        final String... flagsAndValues) {
        return TestServers.quick(target).protocol(spec, options(spec, flagsAndValues)).connections(4).rate(2000)
            .durationNs(500_000_000L).warmupNs(100_000_000L).timeoutNs(2_000_000_000L);
    }

    private static void assertAllAnswered(final BenchResult result, final long expected) {
        assertEquals(expected, result.sent(), "sent");
        assertEquals(expected, result.completed(), "completed");
        assertEquals(0, result.errorTotal(), result.errors().toString());
        assertTrue(result.warnings().isEmpty(), result.warnings().toString());
    }

    @Test
    @Timeout(60)
    void shouldDriveRedisWithPingOpenLoop() throws Exception {
        try (RealServer redis = RealServer.redis()) {
            assertAllAnswered(TestServers.run(quick(redis.address(), Redis.SPEC)), 1000); // the default: PING
        }
    }

    @Test
    @Timeout(60)
    void shouldDriveRedisWithASetGetMixClosedLoopPipelined() throws Exception {
        try (RealServer redis = RealServer.redis()) {
            // A 4 KiB value makes replies span reads and wrap the connection's ring.
            final BenchResult result = TestServers.run(quick(redis.address(), Redis.SPEC, "--command", "SET k v",
                "--command", "GET k", "--command", "SET big " + "b".repeat(4096), "--command", "GET big",
                "--command", "LRANGE none 0 -1").rate(0).closedLoop(true).pipeline(8));
            assertTrue(result.completed() > 100, "completed " + result.completed());
            assertEquals(result.sent(), result.completed(), "every request answered");
            assertEquals(0, result.errorTotal(), result.errors().toString());
        }
    }

    @Test
    @Timeout(60)
    void shouldCountRedisErrorRepliesAsTheirOwnKind() throws Exception {
        try (RealServer redis = RealServer.redis()) {
            // Every other request is an unknown command: exactly half the replies are -ERR. Catches -ERR taken
            // for a good reply, or for a broken stream (which would close the connections: protocol errors).
            // An error reply ends its request as an error, not as completed (every request ends in one count).
            final BenchResult result = TestServers.run(quick(redis.address(), Redis.SPEC, "--command", "PING",
                "--command", "NOSUCHCOMMAND").warmupNs(0));
            assertEquals(1000, result.sent());
            assertEquals(500, result.completed());
            assertTrue(result.balanced());
            assertEquals(500, result.errorCount(ErrorKind.of(Raw.ERROR_REPLY)), result.errors().toString());
            assertEquals(500, result.errorTotal(), result.errors().toString());
            assertEquals(1000, result.corrected().getTotalCount(), "an error reply's latency is recorded");
        }
    }

    @Test
    @Timeout(60)
    void shouldDriveMemcachedWithAGetSetMix() throws Exception {
        try (RealServer memcached = RealServer.memcached()) {
            assertAllAnswered(TestServers.run(quick(memcached.address(), Memcached.SPEC, "--command", "set k hello",
                "--command", "get k", "--command", "get missing k", "--command", "get missing")), 1000);
            final BenchResult closed = TestServers.run(quick(memcached.address(), Memcached.SPEC, "--command",
                "set big " + "m".repeat(5000), "--command", "get big big").rate(0).closedLoop(true).pipeline(8));
            assertTrue(closed.completed() > 100, "completed " + closed.completed());
            assertEquals(closed.sent(), closed.completed(), "every request answered");
            assertEquals(0, closed.errorTotal(), closed.errors().toString());
        }
    }

    @Test
    @Timeout(60)
    void shouldDriveRedisWithRawBytesUntilAMarker() throws Exception {
        try (RealServer redis = RealServer.redis()) {
            assertAllAnswered(TestServers.run(quick(redis.address(), Raw.SPEC, "--message", "PING\\r\\n",
                "--reply-until", "\\r\\n").pipeline(4)), 1000);
        }
    }

    @Test
    @Timeout(60)
    void shouldDriveRingsideEchoWithRawDatagramsOfAGivenSize() throws Exception {
        try (LoopHarness server = new LoopHarness(LoopHarness.smallConfig())) {
            final InetSocketAddress address = server.listenUdp(new EchoProtocol());
            server.startThread();
            // No warm-up: a raw datagram carries no sequence number, so one answered across the warm-up's end
            // cannot be told from one of the measured requests.
            assertAllAnswered(TestServers.run(quick(address, Raw.SPEC, "--message", "hello\\x00world",
                "--reply-bytes", "11").udp(true).warmupNs(0)), 1000);
            // A reply of another length is not the reply asked for. Catches --reply-bytes ignored over UDP.
            final BenchResult wrongSize = TestServers.run(quick(address, Raw.SPEC, "--message", "hello",
                "--reply-bytes", "6").udp(true).warmupNs(0));
            // Every reply that came back failed its check (a datagram lost on a busy machine is udpLoss).
            final long failed = wrongSize.errorCount(ErrorKind.VERIFICATION);
            assertTrue(failed > 0, wrongSize.errors().toString());
            assertEquals(wrongSize.errorTotal(), failed + wrongSize.errorCount(ErrorKind.UDP_LOSS),
                wrongSize.errors().toString());
            assertEquals(0, wrongSize.corrected().getTotalCount(), "no reply passed the check");
        }
    }

    @Test
    @Timeout(60)
    void shouldCountAReplyThatNeverEndsAsATimeoutAndEndOnTime() throws Exception {
        try (LoopHarness server = new LoopHarness(LoopHarness.smallConfig())) {
            final InetSocketAddress address = server.listenTcp(new EchoProtocol());
            server.startThread();
            // The echo never sends the marker: no reply ever ends, and the bytes are consumed as they are
            // searched, so nothing piles up.
            final long startNs = System.nanoTime();
            final BenchResult result = TestServers.run(quick(address, Raw.SPEC, "--message", "no end",
                "--reply-until", "\\n").connections(2).rate(200).pipeline(4).timeoutNs(100_000_000L).warmupNs(0));
            final long elapsedMs = (System.nanoTime() - startNs) / 1_000_000;
            assertEquals(0, result.completed());
            assertTrue(result.errorCount(ErrorKind.RESPONSE_TIMEOUT) > 0, result.errors().toString());
            assertEquals(0, result.errorCount(ErrorKind.PROTOCOL), result.errors().toString());
            assertTrue(elapsedMs < 10_000, "the run ended on time: " + elapsedMs + " ms");
        }
    }
}
