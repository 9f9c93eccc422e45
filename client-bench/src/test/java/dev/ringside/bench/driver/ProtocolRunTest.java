package dev.ringside.bench.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ringside.bench.record.BenchResult;
import dev.ringside.bench.record.ErrorKind;
import dev.ringside.engine.endpoint.ConnectionListener;
import dev.ringside.engine.endpoint.TcpAcceptor;
import dev.ringside.engine.endpoint.TcpConnection;
import dev.ringside.engine.protocol.OptionValues;
import dev.ringside.engine.protocol.Protocol;
import dev.ringside.engine.protocol.chat.Chat;
import dev.ringside.engine.protocol.chat.ChatProtocol;
import dev.ringside.engine.protocol.chat.LoopChatRoom;
import dev.ringside.engine.protocol.echo.EchoProtocol;
import dev.ringside.engine.protocol.http.Http;
import dev.ringside.engine.protocol.sockperf.Sockperf;
import dev.ringside.engine.testing.LoopHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Protocol runs beyond {@link RealSessionRunTest}'s one per protocol: several publishers and generator threads,
 * a server that stamps names, a server of the wrong protocol, mixed HTTP statuses, closed loop, source addresses.
 */
class ProtocolRunTest {
    private static BenchResult runAgainst(final Protocol protocol, final BenchSettings settings) throws Exception {
        try (LoopHarness server = new LoopHarness(LoopHarness.smallConfig())) {
            final InetSocketAddress address = server.listenTcp(protocol);
            server.startThread();
            return TestServers.run(settings.target(address));
        }
    }

    private static void assertClean(final BenchResult result, final long expected) {
        assertEquals(expected, result.sent(), "sent");
        assertEquals(expected, result.completed(), "completed");
        assertEquals(0, result.errorTotal(), result.errors().toString());
        assertEquals(expected, result.corrected().getTotalCount());
        assertEquals(expected, result.uncorrected().getTotalCount());
    }

    @Test
    @Timeout(60)
    void shouldFlagSockperfRepliesFromAServerThatDoesNotClearTheClientBit() throws Exception {
        final BenchResult result = runAgainst(new EchoProtocol(), TestServers.quick(null)
            .protocol(Sockperf.SPEC).size(20));
        assertEquals(250, result.errorCount(ErrorKind.VERIFICATION), "a plain echo is not a sockperf server");
        assertEquals(0, result.completed(), "a wrong reply does not complete its request");
        assertTrue(result.balanced());
    }

    @Test
    @Timeout(60)
    void shouldCountNon2xxHttpResponsesExactly() throws Exception {
        final AtomicInteger failures = new AtomicInteger();
        final BenchResult result = runAgainst(TestServers.httpResponder(5, failures), TestServers.quick(null)
            .protocol(Http.SPEC).connections(4).pipeline(2));
        assertEquals(200, result.completed(), "a non-2xx response ends its request as an error");
        assertEquals(250, result.sent());
        assertEquals(50, failures.get());
        assertEquals(50, result.errorCount(ErrorKind.of(Http.REJECTED_STATUS)));
        assertEquals(50, result.errorTotal());
        assertEquals(250, result.corrected().getTotalCount(), "non-2xx latency is recorded, as wrk does");
    }

    @Test
    @Timeout(60)
    void shouldMeasureEveryChatDelivery() throws Exception {
        final BenchResult result = runAgainst(TestServers.engine(Chat.SPEC), TestServers.quick(null)
            .protocol(Chat.SPEC, OptionValues.of(Chat.PUBLISHERS, "2")).connections(6).threads(2).rate(200).size(80));
        assertEquals(100, result.sent(), "lines published");
        assertEquals(500, result.deliveriesExpected(), "each line to the five other members");
        assertEquals(500, result.completed());
        assertEquals(500, result.corrected().getTotalCount());
        assertEquals(0, result.errorTotal());
        assertEquals(0, result.chatOutOfOrder());
        assertTrue(result.warnings().isEmpty(), result.warnings().toString());
    }

    /**
     * The real chat server with names ({@code --names}): each line arrives as {@code [127.0.0.1:40112] P...}, and
     * joins and leaves are announced between them. The codec takes its line from the end of what arrives, so
     * every delivery is measured and the server's own lines are ignored as foreign. Catches a codec that
     * parses from the start of the line (every delivery would be foreign and time out).
     */
    @Test
    @Timeout(60)
    void shouldMeasureEveryChatDeliveryFromAServerThatStampsSenderNames() throws Exception {
        final BenchResult result = runAgainst(new ChatProtocol(new LoopChatRoom(false), 4096, true),
            TestServers.quick(null).protocol(Chat.SPEC, OptionValues.of(Chat.PUBLISHERS, "2")).connections(6).threads(2)
                .rate(200).size(80));
        assertEquals(100, result.sent(), "lines published");
        assertEquals(500, result.deliveriesExpected(), "each line to the five other members");
        assertEquals(500, result.completed());
        assertEquals(0, result.errorTotal(), result.errors().toString());
        assertEquals(0, result.chatOutOfOrder());
        assertTrue(result.warnings().isEmpty(), result.warnings().toString());
    }

    @Test
    @Timeout(60)
    void shouldKeepThePipelineFullInClosedLoop() throws Exception {
        final BenchResult result = runAgainst(new EchoProtocol(), TestServers.quick(null).rate(0).closedLoop(true)
            .pipeline(8).connections(4).threads(2));
        assertTrue(result.completed() > 1000, "closed loop ran at the server's pace: " + result.completed());
        assertEquals(0, result.errorTotal());
        assertEquals(result.corrected(), result.uncorrected(), "no schedule, so nothing to correct");
        assertTrue(result.warnings().isEmpty(), result.warnings().toString());
    }

    @Test
    @Timeout(60)
    void shouldSpreadConnectionsOverTheBindAddressesRoundRobin() throws Exception {
        final Set<String> sources = ConcurrentHashMap.newKeySet();
        try (LoopHarness server = new LoopHarness(LoopHarness.smallConfig())) {
            final InetSocketAddress address = TcpAcceptor.open(server.loop(), new InetSocketAddress("127.0.0.1", 0),
                new EchoProtocol(), new ConnectionListener() {
                    @Override
                    public void onConnected(final TcpConnection connection) {
                        final String remote = connection.context().remoteAddress();
                        sources.add(remote.substring(0, remote.lastIndexOf(':')));
                    }
                }).localAddress();
            server.startThread();
            final BenchResult result = TestServers.run(TestServers.quick(address).connections(9).bindAddresses(
                List.of(InetAddress.getByName("127.0.0.2"), InetAddress.getByName("127.0.0.3"),
                    InetAddress.getByName("127.0.0.4"))));
            assertEquals(9, result.connectionsEstablished());
            assertEquals(0, result.errorTotal());
        }
        assertEquals(Set.of("127.0.0.2", "127.0.0.3", "127.0.0.4"), sources);
    }
}
