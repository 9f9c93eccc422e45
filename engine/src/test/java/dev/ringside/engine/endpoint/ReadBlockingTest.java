package dev.ringside.engine.endpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicReference;

import dev.ringside.engine.buffer.ByteRing;
import dev.ringside.engine.config.LoopConfig;
import dev.ringside.engine.counter.EngineCounter;
import dev.ringside.engine.protocol.CloseReason;
import dev.ringside.engine.protocol.Outbound;
import dev.ringside.engine.testing.LineEchoProtocol;
import dev.ringside.engine.testing.LoopHarness;
import dev.ringside.engine.testing.StreamOnlyProtocol;
import dev.ringside.engine.testing.Payloads;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The reasons a connection stops reading, and what lifts each: an exhausted pool (a returned ring) and
 * backed-up output (draining below low water, not merely below high water).
 */
@Timeout(60)
class ReadBlockingTest {
    /**
     * Catches: a waiter that is never told a ring came back, or is told but does not turn reading on again
     * (the third client would never be answered).
     */
    @Test
    void shouldResumeReadingWhenPoolRingReturns() throws Exception {
        final CachedNanoClock clock = new CachedNanoClock();
        clock.update(1_000_000_000L);
        final LoopConfig config = new LoopConfig().ringCapacityBytes(1024).poolRings(2);
        try (LoopHarness harness = new LoopHarness(config, clock)) {
            final InetSocketAddress address = harness.listenTcp(new LineEchoProtocol());
            try (SocketChannel first = SocketChannel.open(address); SocketChannel second = SocketChannel.open(address);
                 SocketChannel third = SocketChannel.open(address)) {
                // Two partial lines hold the pool's two rings.
                Payloads.writeFully(first, "partial one".getBytes());
                Payloads.writeFully(second, "partial two".getBytes());
                harness.runUntil(() -> harness.counters().get(EngineCounter.BYTES_IN) == 22);
                assertEquals(2, harness.leasedRings());
                Payloads.writeFully(third, "hello\n".getBytes());
                harness.runUntil(() -> harness.counters().get(EngineCounter.POOL_EXHAUSTED_STALLS) == 1);
                for (int i = 0; i < 1000; i++) {
                    harness.cycle();
                }
                assertEquals(22, harness.counters().get(EngineCounter.BYTES_IN), "nothing read without a ring");
                // Both holders leave mid-line: their rings come back and the waiter is served.
                first.shutdownOutput();
                second.shutdownOutput();
                third.configureBlocking(false);
                final ByteBuffer reply = ByteBuffer.allocate(6);
                harness.runUntil(() -> read(third, reply) && !reply.hasRemaining());
                assertArrayEquals("hello\n".getBytes(), reply.array());
                assertEquals(2, harness.counters().closedBy(CloseReason.EOF_MID_FRAME));
            }
            harness.runUntil(() -> harness.counters().get(EngineCounter.CONNECTIONS_OPEN) == 0);
            assertEquals(0, harness.leasedRings());
        }
    }

    /**
     * Catches: resuming as soon as output falls below high water (no hysteresis), which makes a slow reader
     * flap between reading and stalled on every write.
     */
    @Test
    void shouldResumeOnlyBelowLowWater() throws Exception {
        final int ringBytes = 128 * 1024;
        final LoopConfig config = new LoopConfig().ringCapacityBytes(ringBytes).poolRings(8)
            .socketSendBufferBytes(4096);
        final AtomicReference<TcpConnection> server = new AtomicReference<>();
        final ConnectionListener listener = new ConnectionListener() {
            @Override
            public void onConnected(final TcpConnection connection) {
                server.set(connection);
            }
        };
        try (LoopHarness harness = new LoopHarness(config)) {
            final InetSocketAddress address = harness.listenTcp(new KilobytePerByteProtocol(), listener);
            try (SocketChannel client = SocketChannel.open()) {
                client.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
                client.connect(address);
                harness.runUntil(() -> server.get() != null);
                final TcpConnection connection = server.get();
                // 127 bytes ask for 127 KiB: it fits the ring, and far more than the socket buffers can take.
                Payloads.writeFully(client, new byte[127]);
                harness.runUntil(() -> harness.counters().get(EngineCounter.BACKPRESSURE_STALLS) == 1);
                assertTrue(connection.isReadPaused());
                assertTrue(connection.pendingOutboundBytes() >= config.highWaterBytes());
                client.configureBlocking(false);
                final ByteBuffer sip = ByteBuffer.allocate(1024);
                boolean resumed = false;
                for (int i = 0; i < 100_000 && !resumed; i++) {
                    sip.clear();
                    read(client, sip);
                    harness.cycle();
                    if (connection.isReadPaused()) {
                        continue;
                    }
                    resumed = true;
                    assertTrue(connection.pendingOutboundBytes() <= config.lowWaterBytes(),
                        "resumed with " + connection.pendingOutboundBytes() + " bytes pending");
                }
                assertTrue(resumed, "reading resumed once the output drained");
                assertEquals(1, harness.counters().get(EngineCounter.BACKPRESSURE_STALLS), "one stall, no flapping");
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

    /** Each inbound byte asks for one KiB of output: lots of output from a little input that is never held. */
    static final class KilobytePerByteProtocol extends StreamOnlyProtocol {
        private static final UnsafeBuffer KILOBYTE = new UnsafeBuffer(new byte[1024]);

        KilobytePerByteProtocol() {
            super("kilobyte-per-byte", KilobytePerByteProtocol::answer);
        }

        private static int answer(final ByteRing inbound, final Outbound out) {
            int answered = 0;
            while (!inbound.isEmpty() && out.write(KILOBYTE, 0, KILOBYTE.capacity())) {
                inbound.consume(1);
                answered++;
            }
            return answered;
        }
    }
}
