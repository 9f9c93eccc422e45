package dev.ringside.bench.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ringside.bench.record.BenchResult;
import dev.ringside.bench.record.ErrorKind;
import dev.ringside.bench.report.TextSummary;
import dev.ringside.engine.endpoint.UdpEndpoint;
import dev.ringside.engine.protocol.echo.EchoProtocol;
import dev.ringside.engine.testing.LoopHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The generator against servers that misbehave, over real loopback sockets. */
class ServerFaultTest {
    @Test
    @Timeout(60)
    void shouldCountOneVerificationErrorWhenTheServerCorruptsOneByte() throws Exception {
        try (LoopHarness server = new LoopHarness(LoopHarness.smallConfig())) {
            final InetSocketAddress address = server.listenTcp(TestServers.corruptingEcho(64 * 40 + 17));
            server.startThread();
            final BenchResult result = TestServers.run(TestServers.quick(address).size(64).connections(2));
            assertEquals(1, result.errorCount(ErrorKind.VERIFICATION));
            assertEquals(1, result.errorTotal());
            assertEquals(result.sent() - 1, result.completed(), "the damaged reply ends its request as an error");
            assertEquals(result.completed(), result.corrected().getTotalCount(), "its latency is not recorded");
            assertTrue(result.balanced());
        }
    }

    @Test
    @Timeout(60)
    void shouldCountUdpLossExactlyWhenTheServerDropsEveryTenthDatagram() throws Exception {
        final AtomicInteger received = new AtomicInteger();
        final AtomicInteger dropped = new AtomicInteger();
        try (LoopHarness server = new LoopHarness(LoopHarness.smallConfig())) {
            final InetSocketAddress address = UdpEndpoint.bind(server.loop(), new InetSocketAddress("127.0.0.1", 0),
                TestServers.droppingUdpEcho(10, received, dropped)).localAddress();
            server.startThread();
            // With one request in flight a lost datagram would hold its socket until the timeout; a pipeline lets
            // each socket keep its schedule while losses are pending. The timeout is long because a loaded
            // machine delays replies (a late reply is not loss), so the pipeline holds a socket's 10 losses
            // and its in-flight requests together.
            final BenchResult result = TestServers.run(TestServers.quick(address).udp(true).connections(10)
                .rate(2000).size(32).pipeline(32).timeoutNs(2_000_000_000L));
            assertEquals(1000, result.sent());
            LoopHarness.await(() -> received.get() == 1000);
            assertEquals(100, dropped.get());
            assertEquals(100, result.errorCount(ErrorKind.UDP_LOSS), "every dropped datagram counted, no more");
            assertEquals(900, result.completed());
            assertEquals(100, result.errorTotal());
            assertEquals(0, result.lateReplies());
            assertTrue(result.balanced());
        }
    }

    @Test
    @Timeout(60)
    void shouldWarnAboutTheMissedRateWhenTheServerStalls() throws Exception {
        try (LoopHarness server = new LoopHarness(LoopHarness.smallConfig())) {
            final InetSocketAddress address = server.listenTcp(TestServers.stallingEcho(64 * 20));
            server.startThread();
            final BenchResult result = TestServers.run(TestServers.quick(address).size(64).rate(200)
                .durationNs(1_000_000_000L));
            assertEquals(20, result.completed(), "the server answered 20 requests, then stalled");
            assertEquals(21, result.sent(), "one more was sent and never answered; nothing was skipped meanwhile");
            assertEquals(1, result.errorCount(ErrorKind.RESPONSE_TIMEOUT));
            final ByteArrayOutputStream text = new ByteArrayOutputStream();
            TextSummary.print(result, List.of(), new PrintStream(text, true, StandardCharsets.UTF_8), false);
            final String summary = text.toString(StandardCharsets.UTF_8);
            assertTrue(summary.contains("WARNING: achieved 20.0 msg/s is 10.0% of the 200.0 msg/s target"), summary);
            assertTrue(summary.contains("only 21 of 200 scheduled requests were sent: 1 requests got no reply within "
                + "the response timeout"), "the cause named from the counters: " + summary);
            assertFalse(summary.contains("the server could not keep up"), summary);
        }
    }

    @Test
    @Timeout(60)
    void shouldNotWarnWhenTheTargetIsMet() throws Exception {
        try (LoopHarness server = new LoopHarness(LoopHarness.smallConfig())) {
            final InetSocketAddress address = server.listenTcp(new EchoProtocol());
            server.startThread();
            final BenchResult result = TestServers.run(TestServers.quick(address).connections(4));
            assertEquals(250, result.sent());
            assertEquals(250, result.completed());
            assertTrue(result.warnings().isEmpty(), result.warnings().toString());
        }
    }

    @Test
    @Timeout(60)
    void shouldSayWhyWhenNothingListens() throws IOException {
        final InetSocketAddress closed;
        try (java.nio.channels.ServerSocketChannel probe = java.nio.channels.ServerSocketChannel.open()) {
            probe.bind(new InetSocketAddress("127.0.0.1", 0));
            closed = (InetSocketAddress) probe.getLocalAddress();
        }
        final IllegalStateException failure = org.junit.jupiter.api.Assertions.assertThrows(
            IllegalStateException.class, () -> TestServers.run(TestServers.quick(closed).connections(3)));
        assertTrue(failure.getMessage().contains("connect refused"), failure.getMessage());
    }
}
