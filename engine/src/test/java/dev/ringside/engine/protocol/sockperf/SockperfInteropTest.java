package dev.ringside.engine.protocol.sockperf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.ringside.engine.counter.EngineCounter;
import dev.ringside.engine.protocol.CloseReason;
import dev.ringside.engine.testing.ExternalTool;
import dev.ringside.engine.testing.LoopHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The real {@code sockperf} client (Debian package {@code sockperf}) against the sockperf protocol. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SockperfInteropTest {
    private static final Pattern VALID = Pattern.compile(
        "\\[Valid Duration\\] RunTime=[0-9.]+ sec; SentMessages=(\\d+); ReceivedMessages=(\\d+)");

    private static String sockperf(final String... args) {
        final String program = ExternalTool.require("sockperf", "sockperf").toString();
        final String[] command = new String[args.length + 1];
        command[0] = program;
        System.arraycopy(args, 0, command, 1, args.length);
        return ExternalTool.run(30, command);
    }

    /** Checks sockperf's verdict: replies received for all it sent, none dropped or duplicated, no errors. */
    private static void assertCleanPingPong(final String output) {
        final Matcher valid = VALID.matcher(output);
        assertTrue(valid.find(), () -> "no valid-duration line:\n" + output);
        final long sent = Long.parseLong(valid.group(1));
        final long received = Long.parseLong(valid.group(2));
        assertTrue(received > 100, () -> "too few replies:\n" + output);
        assertEquals(sent, received, () -> "replies missing:\n" + output);
        assertTrue(output.contains("# dropped messages = 0; # duplicated messages = 0; # out-of-order messages = 0"),
            () -> "sockperf saw loss:\n" + output);
        assertTrue(output.contains("Summary: Latency is"), () -> "no latency summary:\n" + output);
        assertFalse(output.contains("ERROR"), () -> "sockperf reported an error:\n" + output);
    }

    @Test
    void shouldServeSockperfPingPongOverTcp() {
        ExternalTool.require("sockperf", "sockperf");
        try (LoopHarness harness = new LoopHarness(LoopHarness.smallConfig())) {
            final InetSocketAddress address = harness.listenTcp(new SockperfProtocol(LoopHarness.smallConfig(
                ).ringCapacityBytes()));
            harness.startThread();
            assertCleanPingPong(sockperf("ping-pong", "--tcp", "-i", "127.0.0.1", "-p",
                String.valueOf(address.getPort()), "-t", "1", "-m", "64"));
            LoopHarness.await(() -> harness.counters().get(EngineCounter.CONNECTIONS_OPEN) == 0);
            assertEquals(1, harness.counters().get(EngineCounter.CONNECTIONS_ACCEPTED));
            assertEquals(0, harness.counters().closedBy(CloseReason.PROTOCOL_ERROR));
            assertEquals(0, harness.counters().closedBy(CloseReason.FRAME_TOO_LARGE));
            assertEquals(0, harness.counters().get(EngineCounter.HANDLER_ERRORS));
            assertEquals(0, harness.counters().get(EngineCounter.RINGS_LEASED));
        }
    }

    @Test
    void shouldServeSockperfPingPongOverUdp() {
        ExternalTool.require("sockperf", "sockperf");
        try (LoopHarness harness = new LoopHarness(LoopHarness.smallConfig())) {
            final InetSocketAddress address = harness.listenUdp(new SockperfProtocol(64 * 1024));
            harness.startThread();
            assertCleanPingPong(sockperf("ping-pong", "-i", "127.0.0.1", "-p", String.valueOf(address.getPort()),
                "-t", "1", "-m", "200"));
            assertTrue(harness.counters().get(EngineCounter.DATAGRAMS_OUT) > 100);
            assertEquals(0, harness.counters().get(EngineCounter.DATAGRAM_ERRORS));
            assertEquals(0, harness.counters().get(EngineCounter.DATAGRAMS_DROPPED));
        }
    }

    @Test
    void shouldServeSockperfUnderLoadOverTcpAnsweringOnlyWhatIsAsked() {
        ExternalTool.require("sockperf", "sockperf");
        try (LoopHarness harness = new LoopHarness(LoopHarness.smallConfig())) {
            final InetSocketAddress address = harness.listenTcp(new SockperfProtocol(LoopHarness.smallConfig(
                ).ringCapacityBytes()));
            harness.startThread();
            final String output = sockperf("under-load", "--tcp", "-i", "127.0.0.1", "-p",
                // 3 s at 5,000 msg/s: on a loaded machine sockperf falls behind a faster or shorter run and finds
                // "no valid observations"; this one still sends thousands of messages.
                String.valueOf(address.getPort()), "-t", "3", "--mps", "5000", "--reply-every", "10");
            assertTrue(output.contains("# dropped messages = 0"), () -> "sockperf saw loss:\n" + output);
            assertTrue(output.contains("Summary: Latency is"), () -> "no latency summary:\n" + output);
            assertFalse(output.contains("ERROR"), () -> output);
            LoopHarness.await(() -> harness.counters().get(EngineCounter.CONNECTIONS_OPEN) == 0);
            final long in = harness.counters().get(EngineCounter.MESSAGES_IN);
            final long out = harness.counters().get(EngineCounter.MESSAGES_OUT);
            assertTrue(in > 1000 && out * 5 < in, "replies only to about one message in ten: in=" + in + " out=" + out);
        }
    }
}
