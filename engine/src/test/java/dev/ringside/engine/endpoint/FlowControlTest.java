package dev.ringside.engine.endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

import dev.ringside.engine.config.LoopConfig;
import dev.ringside.engine.counter.EngineCounter;
import dev.ringside.engine.testing.AmplifyingProtocol;
import dev.ringside.engine.testing.LoopHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The engine's flow control, driven on the test thread over real loopback sockets: the outbound high-water
 * pause, the low-water resume (hysteresis), and the stall and resume when the ring pool is exhausted. Each
 * test names the deliberate bug in {@code TcpConnection} it was checked against.
 */
@Timeout(120)
class FlowControlTest {
    private static final byte[] BIG = "b\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] INERT = "i\n".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_BIG_REQUESTS = 400;

    /**
     * A peer that asks for much output and never reads: the connection stops reading once its outbound
     * ring reaches high water, long before its inbound ring could fill (a few hundred bytes of requests
     * against a 64 KiB ring), so the inbound-full pause cannot be what stops it.
     * Catches: the high-water pause removed from {@code TcpConnection.flush} (no stall is ever counted, and
     * the later input is read while output is backed up).
     */
    @Test
    void shouldStopReadingAtHighWaterBeforeTheInboundRingCouldFill() throws Exception {
        final LoopConfig config = highWaterConfig();
        final AtomicReference<TcpConnection> server = new AtomicReference<>();
        try (LoopHarness harness = new LoopHarness(config);
             SocketChannel client = SocketChannel.open()) {
            final long sentAtStall = stallOneConnection(harness, client, server);
            assertTrue(sentAtStall < config.ringCapacityBytes() / 2, "request bytes read: " + sentAtStall);
            assertTrue(server.get().pendingOutboundBytes() >= config.highWaterBytes(),
                "paused at " + server.get().pendingOutboundBytes() + " outbound bytes");

            for (int i = 0; i < 100; i++) {
                writeAll(client, INERT);
            }
            for (int i = 0; i < 2000; i++) {
                harness.cycle();
            }
            assertEquals(sentAtStall, harness.counters().get(EngineCounter.BYTES_IN),
                "input arriving while output is above high water is not read");
            assertEquals(1, harness.counters().get(EngineCounter.BACKPRESSURE_STALLS));
        }
    }

    /**
     * After a high-water pause the connection reads again only once its outbound bytes are at or below
     * low water, not as soon as they dip below high water. The input offered meanwhile produces no output,
     * so the outbound bytes seen when the first of it is read are exactly where reading resumed.
     * Catches: resuming at high water ({@code readableBytes() < highWaterBytes}) instead of at low water,
     * and a resume that never happens.
     */
    @Test
    void shouldResumeReadingOnlyOnceOutputDrainsToLowWater() throws Exception {
        final LoopConfig config = highWaterConfig();
        final AtomicReference<TcpConnection> server = new AtomicReference<>();
        try (LoopHarness harness = new LoopHarness(config);
             SocketChannel client = SocketChannel.open()) {
            final long bytesInAtStall = stallOneConnection(harness, client, server);
            final int inertLines = 50;
            for (int i = 0; i < inertLines; i++) {
                writeAll(client, INERT);
            }
            // Drain the reply stream slowly; the first time any of the inert input is read, the outbound
            // ring must already be at or below low water.
            final ByteBuffer sink = ByteBuffer.allocate(512);
            int minPendingWhilePaused = Integer.MAX_VALUE;
            boolean resumed = false;
            for (int i = 0; i < 200_000 && !resumed; i++) {
                sink.clear();
                read(client, sink);
                harness.cycle();
                final int pending = server.get().pendingOutboundBytes();
                if (harness.counters().get(EngineCounter.BYTES_IN) > bytesInAtStall) {
                    assertTrue(pending <= config.lowWaterBytes(), "read again with " + pending
                        + " outbound bytes pending; low water is " + config.lowWaterBytes());
                    resumed = true;
                } else {
                    minPendingWhilePaused = Math.min(minPendingWhilePaused, pending);
                }
            }
            assertTrue(resumed, "never read again; outbound bytes fell to " + minPendingWhilePaused);
            final long expected = bytesInAtStall + (long) inertLines * INERT.length;
            harness.runUntil(() -> {
                sink.clear();
                read(client, sink);
                return harness.counters().get(EngineCounter.BYTES_IN) == expected;
            });
            assertEquals(1, harness.counters().get(EngineCounter.BACKPRESSURE_STALLS));
            assertEquals(0, harness.counters().get(EngineCounter.HANDLER_ERRORS));
        }
    }

    /**
     * Two connections each hold a ring with a partial line, exhausting a two-ring pool; two more connections
     * then have input and no ring to read it into. They stall (counted) without reading, and each reads its
     * input as soon as a ring comes back.
     * Catches: {@code TcpConnection.onRingAvailable} not turning reading back on (a stalled connection never
     * reads again).
     */
    @Test
    void shouldStallReadsWhenThePoolIsExhaustedAndResumeWhenRingsReturn() throws Exception {
        // Rings start at min(4 KiB, capacity): at a 4 KiB capacity every ring is a whole pool block, so two
        // partial lines really do exhaust a two-ring pool (with larger capacities the block splits into classes).
        final LoopConfig config = new LoopConfig().ringCapacityBytes(4 * 1024).poolRings(2);
        try (LoopHarness harness = new LoopHarness(config);
             SocketChannel holderA = SocketChannel.open(); SocketChannel holderB = SocketChannel.open();
             SocketChannel waiterC = SocketChannel.open(); SocketChannel waiterD = SocketChannel.open()) {
            final InetSocketAddress address = harness.listenTcp(new AmplifyingProtocol());
            for (final SocketChannel channel : new SocketChannel[] {holderA, holderB, waiterC, waiterD}) {
                connectSmall(channel, address);
            }
            harness.runUntil(() -> harness.counters().get(EngineCounter.CONNECTIONS_OPEN) == 4);
            final byte[] partial = "partial".getBytes(StandardCharsets.US_ASCII);
            writeAll(holderA, partial);
            writeAll(holderB, partial);
            harness.runUntil(() -> harness.leasedRings() == 2
                && harness.counters().get(EngineCounter.BYTES_IN) == 2L * partial.length);

            writeAll(waiterC, INERT);
            writeAll(waiterD, INERT);
            harness.runUntil(() -> harness.counters().get(EngineCounter.POOL_EXHAUSTED_STALLS) == 2);
            for (int i = 0; i < 1000; i++) {
                harness.cycle();
            }
            assertEquals(2L * partial.length, harness.counters().get(EngineCounter.BYTES_IN),
                "nothing is read while the pool is exhausted");

            // One ring comes back: both waiters get through in turn, since each returns its ring at once.
            writeAll(holderA, "\n".getBytes(StandardCharsets.US_ASCII));
            final long expected = 2L * partial.length + 1 + 2L * INERT.length;
            harness.runUntil(() -> harness.counters().get(EngineCounter.BYTES_IN) == expected);
            assertEquals(2, harness.counters().get(EngineCounter.MESSAGES_IN) - 1, "the two inert lines");
            assertEquals(1, harness.leasedRings(), "only holder B's partial line still holds a ring");
            assertEquals(2, harness.counters().get(EngineCounter.POOL_EXHAUSTED_STALLS));
            assertEquals(0, harness.counters().get(EngineCounter.HANDLER_ERRORS));
        }
    }

    /** A 64 KiB ring and a 4 KiB socket send buffer: a few amplified replies take the output to high water. */
    private static LoopConfig highWaterConfig() {
        return new LoopConfig().ringCapacityBytes(64 * 1024).poolRings(16).socketSendBufferBytes(4096);
    }

    /**
     * Serves the amplifying protocol, connects {@code client} (its replies left unread) and sends big requests
     * until the server's connection stalls on backed-up output.
     *
     * @return the request bytes the server had read when it stalled
     */
    private static long stallOneConnection(final LoopHarness harness, final SocketChannel client,
        final AtomicReference<TcpConnection> server) throws IOException {
        final InetSocketAddress address = harness.listenTcp(new AmplifyingProtocol(), captureInto(server));
        connectSmall(client, address);
        harness.runUntil(() -> server.get() != null);
        return fillUntilStall(harness, client);
    }

    /** Sends one big request at a time until the server's first backpressure stall; returns bytes it read. */
    private static long fillUntilStall(final LoopHarness harness, final SocketChannel client) {
        for (int i = 0; i < MAX_BIG_REQUESTS; i++) {
            writeAll(client, BIG);
            final long sent = (long) (i + 1) * BIG.length;
            harness.runUntil(() -> harness.counters().get(EngineCounter.BYTES_IN) == sent
                || harness.counters().get(EngineCounter.BACKPRESSURE_STALLS) > 0);
            if (harness.counters().get(EngineCounter.BACKPRESSURE_STALLS) > 0) {
                return harness.counters().get(EngineCounter.BYTES_IN);
            }
        }
        return fail("no backpressure stall after " + MAX_BIG_REQUESTS + " requests of "
            + AmplifyingProtocol.BIG_REPLY_BYTES + " reply bytes each, none read by the client");
    }

    private static ConnectionListener captureInto(final AtomicReference<TcpConnection> server) {
        return new ConnectionListener() {
            @Override
            public void onConnected(final TcpConnection connection) {
                server.set(connection);
            }
        };
    }

    /** Connects non-blocking with a small receive buffer, so unread replies back up into the server. */
    private static void connectSmall(final SocketChannel channel, final InetSocketAddress address)
        throws IOException {
        channel.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
        channel.connect(address);
        channel.configureBlocking(false);
    }

    private static void writeAll(final SocketChannel channel, final byte[] bytes) {
        final ByteBuffer buffer = ByteBuffer.wrap(bytes);
        try {
            for (int i = 0; buffer.hasRemaining(); i++) {
                if (i > 1_000_000) {
                    throw new AssertionError("the client could not write " + bytes.length + " bytes");
                }
                channel.write(buffer);
            }
        } catch (final IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static void read(final SocketChannel channel, final ByteBuffer buffer) {
        try {
            if (channel.read(buffer) < 0) {
                throw new AssertionError("the server closed the connection");
            }
        } catch (final IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
