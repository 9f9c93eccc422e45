package dev.ringside.engine.endpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ringside.engine.counter.EngineCounter;
import dev.ringside.engine.protocol.CloseReason;
import dev.ringside.engine.protocol.echo.EchoProtocol;
import dev.ringside.engine.testing.LoopHarness;
import dev.ringside.engine.testing.Payloads;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class TimersAndLimitsTest {
    @Test
    void shouldCloseIdleConnectionOnlyAfterTheTimeoutOfTheManualClock() throws Exception {
        final CachedNanoClock clock = new CachedNanoClock();
        clock.update(1_000_000_000L);
        final long timeoutNs = TimeUnit.SECONDS.toNanos(30);
        try (LoopHarness harness = new LoopHarness(LoopHarness.smallConfig().idleTimeoutNs(timeoutNs), clock)) {
            final InetSocketAddress address = harness.listenTcp(new EchoProtocol());
            try (SocketChannel client = SocketChannel.open(address)) {
                harness.runUntil(() -> harness.counters().get(EngineCounter.CONNECTIONS_OPEN) == 1);
                clock.advance(TimeUnit.SECONDS.toNanos(20));
                // Traffic at t+20s moves the deadline to t+50s.
                Payloads.writeFully(client, "ping".getBytes());
                harness.runUntil(() -> harness.counters().get(EngineCounter.BYTES_OUT) == 4);
                clock.advance(TimeUnit.SECONDS.toNanos(15));
                for (int i = 0; i < 5000; i++) {
                    harness.cycle();
                }
                assertEquals(0, harness.counters().closedBy(CloseReason.IDLE_TIMEOUT), "still inside the window");
                clock.advance(TimeUnit.SECONDS.toNanos(16));
                harness.runUntil(() -> harness.counters().closedBy(CloseReason.IDLE_TIMEOUT) == 1);
                assertArrayEquals("ping".getBytes(), Payloads.readFully(client, 4));
                assertEquals(0, Payloads.readToEnd(client).length, "the client sees the close");
            }
            assertEquals(0, harness.leasedRings());
        }
    }

    @Test
    void shouldBackOffAcceptingWhenFileDescriptorsRunOutWithoutSpinning() throws Exception {
        final CachedNanoClock clock = new CachedNanoClock();
        final AtomicInteger failures = new AtomicInteger(3);
        final AtomicInteger acceptCalls = new AtomicInteger();
        final ChannelAcceptor failing = server -> {
            acceptCalls.incrementAndGet();
            if (failures.getAndDecrement() > 0) {
                throw new IOException("Too many open files");
            }
            return server.accept();
        };
        try (LoopHarness harness = new LoopHarness(LoopHarness.smallConfig(), clock)) {
            final TcpAcceptor acceptor = TcpAcceptor.open(harness.loop(), new InetSocketAddress("127.0.0.1", 0),
                new EchoProtocol(), ConnectionListener.NONE, failing, false);
            try (SocketChannel client = SocketChannel.open(acceptor.localAddress())) {
                harness.runUntil(() -> harness.counters().get(EngineCounter.ACCEPT_BACKOFFS) == 1);
                assertTrue(acceptor.isBackingOff());
                final int callsAtBackoff = acceptCalls.get();
                for (int i = 0; i < 1000; i++) {
                    harness.cycle();
                }
                assertEquals(callsAtBackoff, acceptCalls.get(), "no accept attempts while backing off");
                assertFalse(harness.loop().doWork() > 0, "the pending connection does not make the loop busy");
                // Each back-off ends on the timer; the fd shortage lasts three attempts, then the client is served.
                harness.runUntil(() -> {
                    clock.advance(TimeUnit.MILLISECONDS.toNanos(20));
                    return harness.counters().get(EngineCounter.CONNECTIONS_ACCEPTED) == 1;
                });
                assertEquals(3, harness.counters().get(EngineCounter.ACCEPT_BACKOFFS));
                Payloads.writeFully(client, "after".getBytes());
                client.configureBlocking(false);
                final ByteBuffer reply = ByteBuffer.allocate(5);
                harness.runUntil(() -> {
                    try {
                        client.read(reply);
                    } catch (final IOException ex) {
                        throw new AssertionError(ex);
                    }
                    return !reply.hasRemaining();
                });
                assertArrayEquals("after".getBytes(), reply.array());
            }
        }
    }

    @Test
    void shouldConnectOutboundAndReportRefusal() throws Exception {
        try (LoopHarness harness = new LoopHarness(LoopHarness.smallConfig())) {
            final InetSocketAddress address = harness.listenTcp(new EchoProtocol());
            final AtomicInteger connected = new AtomicInteger();
            final CloseReason[] closed = new CloseReason[1];
            final ConnectionListener listener = new ConnectionListener() {
                @Override
                public void onConnected(final TcpConnection connection) {
                    connected.incrementAndGet();
                }

                @Override
                public void onClosed(final TcpConnection connection, final CloseReason reason) {
                    closed[0] = reason;
                }
            };
            final TcpConnection client = TcpConnection.connect(harness.loop(), address, null, new EchoProtocol(),
                listener, 1);
            harness.runUntil(() -> connected.get() == 1 && harness.counters().get(EngineCounter.CONNECTIONS_OPEN) == 2);
            assertEquals(TcpConnection.State.ACTIVE, client.state());
            assertEquals(1, harness.counters().get(EngineCounter.CONNECTIONS_CONNECTED));
            client.close(CloseReason.LOCAL_CLOSE);
            harness.runUntil(() -> harness.counters().get(EngineCounter.CONNECTIONS_OPEN) == 0);

            final InetSocketAddress closedPort;
            try (java.nio.channels.ServerSocketChannel probe = java.nio.channels.ServerSocketChannel.open()) {
                probe.bind(new InetSocketAddress("127.0.0.1", 0));
                closedPort = (InetSocketAddress) probe.getLocalAddress();
            }
            TcpConnection.connect(harness.loop(), closedPort, null, new EchoProtocol(), listener, 2);
            harness.runUntil(() -> closed[0] == CloseReason.CONNECT_REFUSED);
            assertEquals(1, harness.counters().closedBy(CloseReason.CONNECT_REFUSED));
            assertEquals(0, harness.leasedRings());
        }
    }

    @Test
    void shouldFlushPendingOutputOnShutdownThenClose() throws Exception {
        try (LoopHarness harness = new LoopHarness(LoopHarness.smallConfig())) {
            final InetSocketAddress address = harness.listenTcp(new EchoProtocol());
            try (SocketChannel client = SocketChannel.open(address)) {
                Payloads.writeFully(client, "bye".getBytes());
                harness.runUntil(() -> harness.counters().get(EngineCounter.BYTES_OUT) == 3);
                harness.loop().shutdown(TimeUnit.SECONDS.toNanos(1));
                harness.runUntil(() -> !harness.loop().isRunning());
                assertEquals(1, harness.counters().closedBy(CloseReason.SHUTDOWN));
                assertArrayEquals("bye".getBytes(), Payloads.readToEnd(client));
            }
            assertEquals(0, harness.loop().resourceCount());
        }
    }
}
