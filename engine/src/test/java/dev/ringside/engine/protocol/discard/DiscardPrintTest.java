package dev.ringside.engine.protocol.discard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

import dev.ringside.engine.counter.EngineCounter;
import dev.ringside.engine.testing.LoopHarness;
import dev.ringside.engine.testing.Payloads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The classic sink server: {@code discard --print} prints each line with its client and announces arrivals
 * and departures, over TCP and UDP, and sends nothing back.
 */
@Timeout(30)
class DiscardPrintTest {
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream printer = new PrintStream(printed, true, StandardCharsets.UTF_8);

    private String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void shouldPrintEachLineWithItsClientAndAnnounceConnectAndDisconnect() throws Exception {
        try (LoopHarness harness = new LoopHarness(LoopHarness.smallConfig())) {
            final InetSocketAddress address = harness.listenTcp(new DiscardProtocol(printer));
            final String client;
            try (SocketChannel channel = SocketChannel.open(address)) {
                final InetSocketAddress local = (InetSocketAddress) channel.getLocalAddress();
                client = local.getAddress().getHostAddress() + ":" + local.getPort();
                Payloads.writeFully(channel, "first line\r\nsecond ".getBytes(StandardCharsets.UTF_8));
                harness.runUntil(() -> printed().contains("first line"));
                assertTrue(!printed().contains("second"), "a partial line waits for its end");
                Payloads.writeFully(channel, "line\n".getBytes(StandardCharsets.UTF_8));
                harness.runUntil(() -> printed().contains("second line"));
            }
            harness.runUntil(() -> printed().contains("disconnected"));
            assertEquals(String.join(System.lineSeparator(),
                "[" + client + "] connected",
                "[" + client + "] first line",
                "[" + client + "] second line",
                "[" + client + "] disconnected (closed by peer)", ""), printed());
            assertEquals(0, harness.counters().get(EngineCounter.BYTES_OUT), "a sink sends nothing back");
            assertEquals(0, harness.leasedRings());
        }
    }

    @Test
    void shouldPrintDatagramsWithTheirSender() throws Exception {
        try (LoopHarness harness = new LoopHarness(LoopHarness.smallConfig())) {
            final InetSocketAddress address = harness.listenUdp(new DiscardProtocol(printer));
            try (DatagramChannel channel = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
                final InetSocketAddress local = (InetSocketAddress) channel.getLocalAddress();
                channel.send(ByteBuffer.wrap("hello by udp\n".getBytes(StandardCharsets.UTF_8)), address);
                harness.runUntil(() -> printed().contains("hello by udp"));
                assertEquals("[127.0.0.1:" + local.getPort() + "] hello by udp" + System.lineSeparator(), printed());
            }
            assertEquals(0, harness.counters().get(EngineCounter.DATAGRAMS_OUT));
        }
    }
}
