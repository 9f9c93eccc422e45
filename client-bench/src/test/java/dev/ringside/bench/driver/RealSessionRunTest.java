package dev.ringside.bench.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import dev.ringside.bench.record.BenchResult;
import dev.ringside.bench.record.ErrorKind;
import dev.ringside.engine.counter.EngineCounter;
import dev.ringside.engine.protocol.Exchange;
import dev.ringside.engine.protocol.Protocol;
import dev.ringside.engine.protocol.ProtocolSpec;
import dev.ringside.engine.protocol.echo.Echo;
import dev.ringside.engine.protocols.Protocols;
import dev.ringside.engine.testing.LoopHarness;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generator against the engine's own servers: for every protocol in {@link Protocols#ALL} with a server side,
 * the engine serves it (default options, the session and datagram handler {@code ringside server} would use) on
 * 127.0.0.1 port 0, and a short open-loop bench of that protocol's client runs against it, over TCP and, where
 * the protocol has a datagram form, over UDP. Each run must account for every request (sent = completed, no
 * errors, one latency sample per completion) and show the protocol's own figures: HTTP's status classes, chat's
 * deliveries (every line to every other member, in order), the server's count of the bytes it took in.
 * A protocol added to the registry is covered by its registry line alone.
 *
 * <p>A protocol with a server side and no client side (discard) is driven with the echo client: it never
 * answers, so every request must end as a response timeout (or UDP loss), none completed, and the server must
 * have taken in every byte sent.
 *
 * <p>Deliberate bugs each case was seen to catch (one per protocol family, tried once and reverted):
 * <ul>
 *   <li>echo (TCP and UDP): {@code EchoProtocol} writing back one byte fewer than it read, and its datagram
 *       handler replying one byte short: verification errors and timeouts;</li>
 *   <li>discard: {@code DiscardProtocol} writing back what it read (an echo): requests complete;</li>
 *   <li>chat: {@code LoopChatRoom} skipping the last member when it fans a line out: deliveries missing;</li>
 *   <li>rr: {@code RrProtocol} echoing a frame one byte short (TCP: the reply never completes, the pipeline
 *       stalls), and its datagram handler refusing well-formed requests (UDP: nothing answered);</li>
 *   <li>http: {@code HttpResponses} announcing a Content-Length one byte short: the codec's framing breaks;</li>
 *   <li>sockperf: {@code SockperfProtocol} leaving the CLIENT bit set in its replies (TCP and UDP): every reply
 *       fails verification.</li>
 * </ul>
 */
class RealSessionRunTest {
    private static final int RATE = 500;
    /** {@link TestServers#quick} runs 0.5 s at {@link #RATE} msg/s in total, over every connection. */
    private static final long SENT = RATE / 2;
    private static final int SIZE = 64;

    /** One run: a protocol, over TCP or UDP. */
    record Case(ProtocolSpec spec, boolean udp) {
        @Override
        public String toString() {
            return spec.name() + (udp ? " over UDP" : " over TCP");
        }
    }

    static List<Case> servedProtocols() {
        final List<Case> cases = new ArrayList<>();
        for (final ProtocolSpec spec : Protocols.servable()) {
            cases.add(new Case(spec, false));
            if (spec.datagrams()) {
                cases.add(new Case(spec, true));
            }
        }
        return cases;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servedProtocols")
    @Timeout(60)
    void shouldAccountForEveryRequestAgainstTheEnginesOwnServer(final Case run) throws Exception {
        final ProtocolSpec spec = run.spec();
        final Protocol server = TestServers.engine(spec);
        try (LoopHarness harness = TestServers.harness(spec)) {
            final InetSocketAddress address = run.udp() ? harness.listenUdp(server) : harness.listenTcp(server);
            harness.startThread();
            final boolean answers = spec.client().isPresent();
            final BenchSettings settings = TestServers.quick(address).udp(run.udp()).rate(RATE)
                .protocol(answers ? spec : Echo.SPEC);
            if (!answers || spec.size().applies()) {
                settings.size(SIZE);
            }
            if (!answers) {
                settings.pipeline(1000); // nothing comes back to free a pipeline slot: let every request go out
            }
            final boolean broadcast = answers && spec.client().orElseThrow().exchange() == Exchange.BROADCAST;
            settings.connections(broadcast ? 4 : 3);
            final BenchResult result = TestServers.run(settings);

            assertEquals(SENT, result.sent(), run + ": measured requests sent");
            // Chat's figures are lines sent and deliveries completed: no request balance to check.
            assertTrue(broadcast || result.balanced(), run + ": every request ends in exactly one way");
            assertEquals(0, result.inFlightAtEnd(), run + ": nothing left in flight");
            assertEquals(0, result.connectionErrors(), run + ": " + result.errors());
            if (!answers) {
                assertNeverAnswered(run, result, harness);
                return;
            }
            assertEquals(0, result.errorTotal(), run + ": " + result.errors());
            final long completions = broadcast ? SENT * 3 : SENT; // a line goes to the other three members
            if (broadcast) {
                assertEquals(completions, result.deliveriesExpected(), run + ": deliveries owed");
                assertEquals(0, result.chatOutOfOrder(), run + ": lines out of order");
            }
            assertEquals(completions, result.completed(), run + ": completed");
            assertEquals(completions, result.corrected().getTotalCount(), run + ": corrected samples");
            assertEquals(completions, result.uncorrected().getTotalCount(), run + ": uncorrected samples");
            assertEquals(0, result.lateReplies(), run + ": late replies");
            if (spec.name().equals("http")) {
                assertEquals(SENT, result.statusClasses().get("2xx"), run + ": 2xx replies");
                assertEquals(SENT, result.statusClasses().values().stream().mapToLong(Long::longValue).sum(),
                    run + ": replies of every status class " + result.statusClasses());
            }
        }
    }

    private static void assertNeverAnswered(final Case run, final BenchResult result, final LoopHarness harness) {
        final ErrorKind unanswered = run.udp() ? ErrorKind.UDP_LOSS : ErrorKind.RESPONSE_TIMEOUT;
        assertEquals(SENT, result.errorCount(unanswered), run + ": a server that never answers: " + result.errors());
        assertEquals(SENT, result.errorTotal(), run + ": no other error " + result.errors());
        assertEquals(0, result.completed(), run + ": nothing completed");
        final EngineCounter bytesIn = run.udp() ? EngineCounter.DATAGRAM_BYTES_IN : EngineCounter.BYTES_IN;
        // Warm-up is 0 and nothing is sent after the window: every request measured, SIZE bytes each, all taken in.
        assertEquals(SENT * SIZE, harness.counters().get(bytesIn), run + ": bytes the server took in");
    }
}
