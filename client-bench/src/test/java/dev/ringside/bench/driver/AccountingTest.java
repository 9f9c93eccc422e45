package dev.ringside.bench.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ringside.bench.record.BenchResult;
import dev.ringside.bench.record.ErrorKind;
import dev.ringside.bench.record.IntervalSample;
import dev.ringside.bench.verdict.ExitStatus;
import dev.ringside.bench.verdict.Verdict;
import dev.ringside.engine.endpoint.UdpEndpoint;
import dev.ringside.engine.protocol.echo.EchoProtocol;
import dev.ringside.engine.testing.LoopHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every measured request ends in exactly one count: {@code sent = completed + Σ request error kinds + in
 * flight at the end}, against a clean engine server and against tiny fault servers (close after N bytes,
 * never answer, corrupt one byte, die mid-run, drop datagrams), in open and closed loop, with warm-up
 * excluded from every count. Before this, requests in flight on a closing connection were counted under no
 * kind, and warm-up timeouts were counted as errors beside measured-only request counts: these tests fail
 * on either.
 */
class AccountingTest {
    private static final int SIZE = 64;

    private static void assertBalanced(final BenchResult result) {
        assertTrue(result.sent() > 0, "something was sent: " + result.errors() + " " + result.warnings());
        assertEquals(result.sent(), result.completed() + result.requestErrors() + result.inFlightAtEnd(),
            "sent = completed + failed + in flight: " + result.sent() + " sent, " + result.completed()
                + " completed, " + result.errors() + ", " + result.inFlightAtEnd() + " in flight");
        assertTrue(result.balanced());
    }

    @Test
    @Timeout(60)
    void shouldBalanceACleanRunInOpenAndClosedLoop() throws Exception {
        try (LoopHarness server = new LoopHarness(LoopHarness.smallConfig())) {
            final InetSocketAddress address = server.listenTcp(new EchoProtocol());
            server.startThread();
            final BenchResult open = TestServers.run(TestServers.quick(address).connections(4).warmupNs(200_000_000L));
            assertBalanced(open);
            assertEquals(250, open.sent(), "warm-up requests are not counted as measured");
            assertEquals(250, open.completed());
            assertEquals(0, open.errorTotal());
            assertEquals(ExitStatus.CLEAN, Verdict.of(open, List.of(), false).exitCode());
            final BenchResult closed = TestServers.run(TestServers.quick(address).connections(4).rate(0)
                .closedLoop(true).pipeline(4));
            assertBalanced(closed);
            assertEquals(0, closed.inFlightAtEnd(), "closed loop waits for what it sent");
            assertEquals(closed.sent(), closed.completed());
        }
    }

    @Test
    @Timeout(60)
    void shouldEndRequestsInFlightOnAConnectionTheServerClosesAfterNBytes() throws Exception {
        try (LoopHarness server = new LoopHarness(LoopHarness.smallConfig())) {
            // Each connection gets 10.5 replies' worth of bytes, then is closed: the 11th request was in flight.
            final InetSocketAddress address = server.listenTcp(TestServers.closeAfter(SIZE * 10 + SIZE / 2));
            server.startThread();
            // --no-reconnect: each connection is gone after its close (ReconnectTest covers the default).
            final BenchResult result = TestServers.run(TestServers.quick(address).connections(3).size(SIZE)
                .pipeline(2).reconnect(false));
            assertBalanced(result);
            assertEquals(30, result.completed());
            assertEquals(3, result.errorCount(ErrorKind.CLOSED_BY_PEER) + result.errorCount(ErrorKind.RESET),
                "one close per connection");
            assertTrue(result.errorCount(ErrorKind.CLOSED_IN_FLIGHT) >= 3, "at least the half-answered one each: "
                + result.errors());
            final BenchResult closedLoop = TestServers.run(TestServers.quick(address).connections(3).size(SIZE)
                .rate(0).closedLoop(true).pipeline(3).reconnect(false));
            assertBalanced(closedLoop);
            // Closing with requests unread makes the server's kernel reset the connection, which may discard
            // replies already on their way: fewer may complete, but each one that does not is still counted.
            assertTrue(closedLoop.completed() <= 30, "completed " + closedLoop.completed());
            assertEquals(3, closedLoop.errorCount(ErrorKind.CLOSED_BY_PEER) + closedLoop.errorCount(ErrorKind.RESET));
            assertTrue(closedLoop.errorCount(ErrorKind.CLOSED_IN_FLIGHT) >= 9, "three in flight on each of three: "
                + closedLoop.errors());
        }
    }

    @Test
    @Timeout(60)
    void shouldCountTimeoutsOfMeasuredRequestsOnlyWhenTheServerNeverAnswers() throws Exception {
        try (LoopHarness server = new LoopHarness(LoopHarness.smallConfig())) {
            final InetSocketAddress address = server.listenTcp(TestServers.stallingEcho(0));
            server.startThread();
            final BenchResult result = TestServers.run(TestServers.quick(address).rate(100).pipeline(1000)
                .warmupNs(200_000_000L).durationNs(300_000_000L).timeoutNs(100_000_000L));
            assertBalanced(result);
            assertEquals(30, result.sent());
            assertEquals(0, result.completed());
            assertEquals(30, result.errorCount(ErrorKind.RESPONSE_TIMEOUT), "the 20 warm-up timeouts are not here");
            assertEquals(30, result.errorTotal());
            assertEquals(0, result.inFlightAtEnd(), "the drain waited for every timeout");
        }
    }

    @Test
    @Timeout(60)
    void shouldBalanceWhenTheServerCorruptsOneByte() throws Exception {
        try (LoopHarness server = new LoopHarness(LoopHarness.smallConfig())) {
            final InetSocketAddress address = server.listenTcp(TestServers.corruptingEcho(SIZE * 40 + 17));
            server.startThread();
            final BenchResult result = TestServers.run(TestServers.quick(address).size(SIZE).connections(2));
            assertBalanced(result);
            assertEquals(1, result.errorCount(ErrorKind.VERIFICATION));
            assertEquals(result.sent() - 1, result.completed());
        }
    }

    @Test
    @Timeout(60)
    void shouldBalanceWhenTheServerDiesMidRun() throws Exception {
        try (DyingServer server = new DyingServer(SIZE * 100, SIZE, true)) {
            final BenchResult result = TestServers.run(TestServers.quick(server.address()).size(SIZE).connections(4)
                .rate(1000).pipeline(4));
            assertBalanced(result);
            assertTrue(result.completed() >= 90 && result.completed() <= 100, "about 100 answered before it died: "
                + result.completed());
            assertEquals(4, result.errorCount(ErrorKind.RESET) + result.errorCount(ErrorKind.CLOSED_BY_PEER),
                "every connection was cut: " + result.errors());
            assertEquals(ExitStatus.FAILED, Verdict.of(result, List.of(), false).exitCode());
            assertTrue(result.warnings().toString().contains("the server closed 4 connections"), result.warnings()
                .toString());
        }
    }

    @Test
    @Timeout(60)
    void shouldBalanceUdpLoss() throws Exception {
        final AtomicInteger received = new AtomicInteger();
        final AtomicInteger dropped = new AtomicInteger();
        try (LoopHarness server = new LoopHarness(LoopHarness.smallConfig())) {
            final InetSocketAddress address = UdpEndpoint.bind(server.loop(), new InetSocketAddress("127.0.0.1", 0),
                TestServers.droppingUdpEcho(7, received, dropped)).localAddress();
            server.startThread();
            final BenchResult result = TestServers.run(TestServers.quick(address).udp(true).connections(5)
                .rate(1000).size(32).pipeline(16).warmupNs(100_000_000L).timeoutNs(200_000_000L));
            assertBalanced(result);
            assertEquals(500, result.sent());
            assertTrue(result.errorCount(ErrorKind.UDP_LOSS) > 0);
            assertEquals(result.errorTotal(), result.errorCount(ErrorKind.UDP_LOSS));
        }
    }

    @Test
    @Timeout(60)
    void shouldCountWhatIsStillInFlightWhenAnInterruptedRunSkipsTheDrain() throws Exception {
        try (LoopHarness server = new LoopHarness(LoopHarness.smallConfig())) {
            final InetSocketAddress address = server.listenTcp(TestServers.stallingEcho(SIZE * 5));
            server.startThread();
            final BenchSettings settings = TestServers.quick(address).size(SIZE).rate(200).pipeline(1000)
                .durationNs(30_000_000_000L).timeoutNs(20_000_000_000L).validate();
            final BenchRunner[] runner = new BenchRunner[1];
            runner[0] = new BenchRunner(settings, List.of(sample -> {
                if (sample.phase() == IntervalSample.Phase.MEASURING) {
                    runner[0].interrupt("SIGINT");
                    runner[0].interrupt("SIGINT"); // the second signal skips the drain
                }
            }), System.err);
            final BenchResult result = runner[0].run();
            assertBalanced(result);
            assertTrue(result.interrupted());
            assertEquals(5, result.completed());
            assertEquals(result.sent() - 5, result.inFlightAtEnd(), "nothing timed out: it is all still in flight");
            assertTrue(result.durationS() < 5, "the window ended at the signal: " + result.durationS());
            assertEquals(ExitStatus.SIGINT, Verdict.of(result, List.of(), false).exitCode());
        }
    }
}
