package dev.ringside.engine.endpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.ringside.engine.config.LoopConfig;
import dev.ringside.engine.counter.EngineCounter;
import dev.ringside.engine.protocol.CloseReason;
import dev.ringside.engine.testing.LineEchoProtocol;
import dev.ringside.engine.testing.LoopHarness;
import dev.ringside.engine.testing.Payloads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Memory follows the bytes a connection holds: rings start small, grow for a frame, go back when empty. */
@Timeout(60)
class RingGrowthTest {
    /** Catches: leasing a full-capacity ring for a partial frame (the 64 KiB-per-byte attack). */
    @Test
    void shouldHoldOnlyTheStartRingForAPartialFrame() throws Exception {
        final LoopConfig config = new LoopConfig().ringCapacityBytes(64 * 1024).poolRings(64);
        try (LoopHarness harness = new LoopHarness(config)) {
            final InetSocketAddress address = harness.listenTcp(new LineEchoProtocol());
            final List<SocketChannel> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 100; i++) {
                    final SocketChannel client = SocketChannel.open(address);
                    clients.add(client);
                    Payloads.writeFully(client, new byte[] {'x'});
                }
                harness.runUntil(() -> harness.counters().get(EngineCounter.BYTES_IN) == 100);
                assertEquals(100L * config.ringStartBytes(), harness.counters().get(EngineCounter.POOL_BYTES_LEASED));
                assertEquals(4096, config.ringStartBytes());
            } finally {
                for (final SocketChannel client : clients) {
                    client.close();
                }
            }
            harness.runUntil(() -> harness.counters().get(EngineCounter.CONNECTIONS_OPEN) == 0);
            assertEquals(0, harness.counters().get(EngineCounter.POOL_BYTES_LEASED));
        }
    }

    /**
     * Catches: a start-size ring that fills with one frame being judged "frame too large" (no growth), and a
     * ring that never goes back to the pool after growing.
     */
    @Test
    void shouldGrowForALargeFrameUpToTheCapacityAndGiveItBack() throws Exception {
        final LoopConfig config = new LoopConfig().ringCapacityBytes(16 * 1024).poolRings(16);
        try (LoopHarness harness = new LoopHarness(config)) {
            final InetSocketAddress address = harness.listenTcp(new LineEchoProtocol());
            harness.startThread();
            try (SocketChannel client = SocketChannel.open(address)) {
                final byte[] line = new byte[12_000];
                Arrays.fill(line, (byte) 'y');
                line[line.length - 1] = '\n';
                Payloads.writeFully(client, line);
                assertArrayEquals(line, Payloads.readFully(client, line.length));
                LoopHarness.await(() -> harness.counters().get(EngineCounter.POOL_BYTES_LEASED) == 0);
                Payloads.writeFully(client, "short\n".getBytes());
                assertArrayEquals("short\n".getBytes(), Payloads.readFully(client, 6));
            }
            try (SocketChannel client = SocketChannel.open(address)) {
                client.configureBlocking(false);
                final byte[] tooLong = new byte[20_000];
                Arrays.fill(tooLong, (byte) 'z');
                client.write(ByteBuffer.wrap(tooLong));
                LoopHarness.await(() -> harness.counters().closedBy(CloseReason.FRAME_TOO_LARGE) == 1);
            }
            LoopHarness.await(() -> harness.counters().get(EngineCounter.CONNECTIONS_OPEN) == 0);
            assertEquals(0, harness.counters().get(EngineCounter.RINGS_LEASED));
        }
    }
}
