package dev.ringside.engine.endpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.ringside.engine.buffer.ByteRing;
import dev.ringside.engine.counter.EngineCounter;
import dev.ringside.engine.protocol.CloseReason;
import dev.ringside.engine.protocol.Outbound;
import dev.ringside.engine.protocol.echo.EchoProtocol;
import dev.ringside.engine.testing.LoopHarness;
import dev.ringside.engine.testing.Payloads;
import dev.ringside.engine.testing.StreamOnlyProtocol;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Faults the loop must survive, on real loopback sockets: a session that throws, a connect that hangs. */
@Timeout(60)
class LoopFaultsTest {
    /**
     * A session that throws on the selector loop: that connection closes with {@code HANDLER_ERROR}, the error
     * handler hears the exception, the counter counts it, and the loop serves the next client.
     * Catches: the exception escaping {@code TcpConnection.deliver} (the loop dies), the connection left open.
     */
    @Test
    void shouldCloseOnlyTheConnectionWhoseSessionThrewAndKeepServing() throws Exception {
        try (LoopHarness harness = new LoopHarness(LoopHarness.smallConfig())) {
            final InetSocketAddress address = harness.listenTcp(new ThrowOnBangProtocol());
            harness.startThread();
            try (SocketChannel bad = SocketChannel.open(address)) {
                Payloads.writeFully(bad, "!".getBytes(StandardCharsets.US_ASCII));
                assertEquals(0, Payloads.readToEnd(bad).length, "the thrower's connection is closed");
            }
            LoopHarness.await(() -> harness.counters().closedBy(CloseReason.HANDLER_ERROR) == 1);
            try (SocketChannel good = SocketChannel.open(address)) {
                Payloads.writeFully(good, "fine".getBytes(StandardCharsets.US_ASCII));
                assertArrayEquals("fine".getBytes(StandardCharsets.US_ASCII), Payloads.readFully(good, 4));
            }
            assertTrue(harness.loopThread().isAlive(), "the loop survived");
            assertEquals(1, harness.counters().get(EngineCounter.HANDLER_ERRORS));
            LoopHarness.await(() -> !harness.errors().isEmpty());
            assertTrue(harness.errors().get(0) instanceof IllegalStateException, harness.errors().toString());
            assertTrue(harness.errors().get(0).getMessage().contains("bang"));
        }
    }

    /**
     * An outbound connect to a listener whose accept queue is full hangs (the kernel drops the SYN); the
     * connect timer closes it with {@code CONNECT_TIMEOUT} once the manual clock passes the timeout, not before.
     * Catches: the connect timer never armed, or armed with the idle timeout.
     */
    @Test
    void shouldCloseAConnectThatHangsAfterTheConnectTimeout() throws Exception {
        final CachedNanoClock clock = new CachedNanoClock();
        clock.update(5_000_000_000L);
        final long timeoutNs = TimeUnit.SECONDS.toNanos(3);
        final List<Socket> queued = new ArrayList<>();
        try (ServerSocketChannel full = ServerSocketChannel.open();
             LoopHarness harness = new LoopHarness(LoopHarness.smallConfig().connectTimeoutNs(timeoutNs), clock)) {
            full.bind(new InetSocketAddress("127.0.0.1", 0), 1);
            final InetSocketAddress address = (InetSocketAddress) full.getLocalAddress();
            fillAcceptQueue(address, queued);
            final AtomicReference<CloseReason> closed = new AtomicReference<>();
            TcpConnection.connect(harness.loop(), address, null, new EchoProtocol(), new ConnectionListener() {
                @Override
                public void onClosed(final TcpConnection connection, final CloseReason reason) {
                    closed.set(reason);
                }
            }, 1);
            clock.advance(timeoutNs - TimeUnit.MILLISECONDS.toNanos(100));
            for (int i = 0; i < 2000; i++) {
                harness.cycle();
            }
            assertEquals(null, closed.get(), "still inside the connect timeout");
            clock.advance(TimeUnit.MILLISECONDS.toNanos(200));
            harness.runUntil(() -> closed.get() != null);
            assertEquals(CloseReason.CONNECT_TIMEOUT, closed.get());
            assertEquals(1, harness.counters().closedBy(CloseReason.CONNECT_TIMEOUT));
            assertEquals(0, harness.counters().get(EngineCounter.CONNECTIONS_CONNECTED));
        } finally {
            for (final Socket socket : queued) {
                socket.close();
            }
        }
    }

    /** Connects blocking clients until one cannot: from then on the listener drops every SYN. */
    private static void fillAcceptQueue(final InetSocketAddress address, final List<Socket> queued)
        throws IOException {
        for (int i = 0; i < 64; i++) {
            final Socket socket = new Socket();
            try {
                socket.connect(address, 300);
                queued.add(socket);
            } catch (final SocketTimeoutException ex) {
                socket.close();
                return;
            }
        }
        throw new AssertionError("the accept queue of a backlog-1 listener never filled");
    }

    /** Echoes, and throws from {@code onData} when a {@code '!'} arrives. */
    private static final class ThrowOnBangProtocol extends StreamOnlyProtocol {
        ThrowOnBangProtocol() {
            super("throw-on-bang", (final ByteRing inbound, final Outbound out) -> {
                if (inbound.indexOf((byte) '!', inbound.readPosition()) >= 0) {
                    throw new IllegalStateException("bang");
                }
                final int length = inbound.readableBytes();
                if (out.write(inbound, inbound.readPosition(), length)) {
                    inbound.consume(length);
                    return 1;
                }
                return 0;
            });
        }
    }
}
