package dev.ringside.engine.endpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

import dev.ringside.engine.config.LoopConfig;
import dev.ringside.engine.counter.EngineCounter;
import dev.ringside.engine.loop.EventLoop;
import dev.ringside.engine.protocol.CloseReason;
import dev.ringside.engine.testing.LineEchoProtocol;
import dev.ringside.engine.testing.LoopHarness;
import dev.ringside.engine.testing.Payloads;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** When the pool runs low the loop keeps a reserve and sheds the hoarders, not every reader. */
@Timeout(60)
class PoolSheddingTest {
    /**
     * Catches: no shedding (the polite client waits forever behind the hoarders), shedding fresh connections
     * instead of old hoarders, and growth that eats the reserve.
     */
    @Test
    void shouldServeFreshClientsWhenHoardersNearlyExhaustThePool() throws Exception {
        final CachedNanoClock clock = new CachedNanoClock();
        clock.update(1_000_000_000L);
        final LoopConfig config = new LoopConfig().ringCapacityBytes(16 * 1024).poolRings(32);
        final List<SocketChannel> clients = new ArrayList<>();
        try (LoopHarness harness = new LoopHarness(config, clock)) {
            final EventLoop loop = harness.loop();
            assertEquals(2, loop.reserveBlocks());
            final List<TcpConnection> accepted = new ArrayList<>();
            final List<TcpConnection> shedOnes = new ArrayList<>();
            final InetSocketAddress address = harness.listenTcp(new LineEchoProtocol(), new ConnectionListener() {
                @Override
                public void onConnected(final TcpConnection connection) {
                    accepted.add(connection);
                }

                @Override
                public void onClosed(final TcpConnection connection, final CloseReason reason) {
                    if (reason == CloseReason.SHED_POOL_LOW) {
                        shedOnes.add(connection);
                    }
                }
            });
            try {
                // Old hoarders: 15,000 bytes of a line that never ends; each grows towards a whole 16 KiB ring.
                final byte[] hoard = new byte[15_000];
                for (int i = 0; i < 40; i++) {
                    final SocketChannel hoarder = SocketChannel.open(address);
                    clients.add(hoarder);
                    hoarder.configureBlocking(false);
                    hoarder.write(ByteBuffer.wrap(hoard));
                }
                harness.runUntil(() -> harness.counters().get(EngineCounter.CONNECTIONS_OPEN) == 40
                    && harness.counters().get(EngineCounter.POOL_EXHAUSTED_STALLS) > 0);
                for (int i = 0; i < 1000; i++) {
                    harness.cycle();
                }
                assertTrue(loop.pool().freeBlocks() >= loop.reserveBlocks(), "growth left the reserve alone");
                assertEquals(0, harness.counters().closedBy(CloseReason.SHED_POOL_LOW), "young stalls are not shed");
                DeadlinesTest.advance(harness, clock, 2 * EventLoop.SHED_MIN_STALL_NS);
                // New hoarders, one byte each, drain the reserve; then a polite client must still be answered.
                for (int i = 0; i < 40; i++) {
                    final SocketChannel fresh = SocketChannel.open(address);
                    clients.add(fresh);
                    Payloads.writeFully(fresh, new byte[] {'x'});
                }
                try (SocketChannel polite = SocketChannel.open(address)) {
                    Payloads.writeFully(polite, "hello\n".getBytes());
                    polite.configureBlocking(false);
                    final ByteBuffer reply = ByteBuffer.allocate(6);
                    harness.runUntil(() -> read(polite, reply) && !reply.hasRemaining());
                    assertArrayEquals("hello\n".getBytes(), reply.array());
                }
                assertTrue(!shedOnes.isEmpty(), "hoarders were shed");
                assertEquals(shedOnes.size(), harness.counters().closedBy(CloseReason.SHED_POOL_LOW));
                // Only old hoarders were shed, never the young one-byte clients.
                for (final TcpConnection shed : shedOnes) {
                    assertTrue(accepted.indexOf(shed) < 40, "shed a young connection: " + shed);
                }
                assertEquals(0, harness.counters().closedBy(CloseReason.HANDLER_ERROR));
            } finally {
                for (final SocketChannel client : clients) {
                    client.close();
                }
            }
            harness.runUntil(() -> harness.counters().get(EngineCounter.CONNECTIONS_OPEN) == 0);
            assertEquals(0, harness.leasedRings());
        }
    }

    static boolean read(final SocketChannel channel, final ByteBuffer buffer) {
        try {
            return channel.read(buffer) >= 0;
        } catch (final IOException ex) {
            throw new AssertionError(ex);
        }
    }
}
