package dev.ringside.engine.endpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import dev.ringside.engine.config.LoopConfig;
import dev.ringside.engine.counter.EngineCounter;
import dev.ringside.engine.protocol.CloseReason;
import dev.ringside.engine.protocol.echo.EchoProtocol;
import dev.ringside.engine.testing.LineEchoProtocol;
import dev.ringside.engine.testing.LoopHarness;
import dev.ringside.engine.testing.Payloads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class TcpEchoTest {
    @Test
    void shouldEchoRandomPayloadsUpTo1MiBWrittenInRandomPieces() throws Exception {
        final LoopConfig config = LoopHarness.smallConfig().socketSendBufferBytes(8 * 1024);
        try (LoopHarness harness = new LoopHarness(config)) {
            final InetSocketAddress address = harness.listenTcp(new EchoProtocol());
            harness.startThread();
            final Random random = new Random(7);
            for (final int size : new int[] {1, 100, 4096, 65_537, 1 << 20}) {
                final byte[] payload = new byte[size];
                random.nextBytes(payload);
                try (SocketChannel client = SocketChannel.open(address)) {
                    client.setOption(StandardSocketOptions.SO_RCVBUF, 16 * 1024);
                    final AtomicReference<Exception> writerError = new AtomicReference<>();
                    final Thread writer = new Thread(() -> {
                        try {
                            final Random pieces = new Random(size);
                            int offset = 0;
                            while (offset < size) {
                                final int piece = Math.min(size - offset, 1 + pieces.nextInt(70_000));
                                final ByteBuffer buffer = ByteBuffer.wrap(payload, offset, piece);
                                while (buffer.hasRemaining()) {
                                    client.write(buffer);
                                }
                                offset += piece;
                            }
                            client.shutdownOutput();
                        } catch (final IOException ex) {
                            writerError.set(ex);
                        }
                    });
                    writer.start();
                    final byte[] echoed = Payloads.readToEnd(client);
                    writer.join();
                    assertEquals(null, writerError.get());
                    assertArrayEquals(payload, echoed, "payload of " + size + " bytes");
                }
            }
            LoopHarness.await(() -> harness.counters().get(EngineCounter.CONNECTIONS_OPEN) == 0);
            assertEquals(5, harness.counters().closedBy(CloseReason.PEER_CLOSED));
        }
    }

    @Test
    void shouldServe2000ConcurrentConnectionsEachVerified() throws Exception {
        final int connections = 2000;
        try (LoopHarness harness = new LoopHarness(LoopHarness.smallConfig())) {
            final InetSocketAddress address = harness.listenTcp(new EchoProtocol());
            harness.startThread();
            final List<SocketChannel> clients = new ArrayList<>();
            try {
                for (int i = 0; i < connections; i++) {
                    clients.add(SocketChannel.open(address));
                }
                for (int i = 0; i < connections; i++) {
                    Payloads.writeFully(clients.get(i), message(i));
                }
                for (int i = 0; i < connections; i++) {
                    final byte[] expected = message(i);
                    assertArrayEquals(expected, Payloads.readFully(clients.get(i), expected.length));
                }
                assertEquals(connections, harness.counters().get(EngineCounter.CONNECTIONS_ACCEPTED));
            } finally {
                for (final SocketChannel client : clients) {
                    client.close();
                }
            }
            LoopHarness.await(() -> harness.counters().get(EngineCounter.CONNECTIONS_OPEN) == 0);
            assertEquals(0, harness.counters().get(EngineCounter.HANDLER_ERRORS));
        }
    }

    @Test
    void shouldStopReadingFromClientThatNeverReadsAndKeepServingOthers() throws Exception {
        final LoopConfig config = new LoopConfig().ringCapacityBytes(16 * 1024).poolRings(64)
            .socketSendBufferBytes(4096);
        try (LoopHarness harness = new LoopHarness(config)) {
            final InetSocketAddress address = harness.listenTcp(new EchoProtocol());
            try (SocketChannel hog = SocketChannel.open(address); SocketChannel polite = SocketChannel.open(address)) {
                hog.configureBlocking(false);
                hog.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
                hog.setOption(StandardSocketOptions.SO_SNDBUF, 8192);
                final ByteBuffer chunk = ByteBuffer.allocate(8192);
                // The hog writes and never reads; the server's echo backs up until it must stop reading.
                harness.runUntil(() -> {
                    chunk.clear();
                    write(hog, chunk);
                    return harness.counters().get(EngineCounter.BACKPRESSURE_STALLS) >= 1;
                });
                final long bytesInAtStall = harness.counters().get(EngineCounter.BYTES_IN);
                for (int i = 0; i < 2000; i++) {
                    chunk.clear();
                    write(hog, chunk);
                    harness.cycle();
                }
                assertEquals(bytesInAtStall, harness.counters().get(EngineCounter.BYTES_IN),
                    "a stalled connection is not read");
                // Memory stayed within the bound: the hog holds at most its two rings.
                assertTrue(harness.leasedRings() <= 2, "rings leased: " + harness.leasedRings());

                final byte[] hello = "still served\n".getBytes();
                Payloads.writeFully(polite, hello);
                final ByteBuffer reply = ByteBuffer.allocate(hello.length);
                polite.configureBlocking(false);
                harness.runUntil(() -> read(polite, reply) && !reply.hasRemaining());
                assertArrayEquals(hello, reply.array());
            }
            harness.runUntil(() -> harness.counters().get(EngineCounter.CONNECTIONS_OPEN) == 0);
            assertEquals(0, harness.leasedRings());
        }
    }

    @Test
    void shouldCloseConnectionWhoseLineIsLongerThanTheRing() throws Exception {
        try (LoopHarness harness = new LoopHarness(new LoopConfig().ringCapacityBytes(1024).poolRings(16))) {
            final InetSocketAddress address = harness.listenTcp(new LineEchoProtocol());
            try (SocketChannel good = SocketChannel.open(address); SocketChannel bad = SocketChannel.open(address)) {
                final byte[] longLine = new byte[3000];
                Arrays.fill(longLine, (byte) 'x');
                bad.configureBlocking(false);
                bad.write(ByteBuffer.wrap(longLine));
                harness.runUntil(() -> harness.counters().closedBy(CloseReason.FRAME_TOO_LARGE) == 1);
                Payloads.writeFully(good, "ok\n".getBytes());
                good.configureBlocking(false);
                final ByteBuffer reply = ByteBuffer.allocate(3);
                harness.runUntil(() -> read(good, reply) && !reply.hasRemaining());
                assertEquals("ok\n", new String(reply.array()));
            }
            harness.runUntil(() -> harness.counters().get(EngineCounter.CONNECTIONS_OPEN) == 0);
            assertEquals(0, harness.leasedRings());
        }
    }

    @Test
    void shouldCountEofMidFrameAndPeerReset() throws Exception {
        try (LoopHarness harness = new LoopHarness(LoopHarness.smallConfig())) {
            final InetSocketAddress address = harness.listenTcp(new LineEchoProtocol());
            try (SocketChannel partial = SocketChannel.open(address)) {
                Payloads.writeFully(partial, "no newline".getBytes());
                harness.runUntil(() -> harness.counters().get(EngineCounter.BYTES_IN) == 10);
                partial.shutdownOutput();
                harness.runUntil(() -> harness.counters().closedBy(CloseReason.EOF_MID_FRAME) == 1);
            }
            final SocketChannel resetter = SocketChannel.open(address);
            Payloads.writeFully(resetter, "partial".getBytes());
            harness.runUntil(() -> harness.counters().get(EngineCounter.BYTES_IN) == 17);
            resetter.setOption(StandardSocketOptions.SO_LINGER, 0);
            resetter.close(); // linger 0: the kernel sends RST instead of FIN
            harness.runUntil(() -> harness.counters().closedBy(CloseReason.PEER_RESET) == 1);
            assertEquals(0, harness.counters().get(EngineCounter.CONNECTIONS_OPEN));
            assertEquals(0, harness.leasedRings());
            assertEquals(0, harness.counters().get(EngineCounter.HANDLER_ERRORS));
        }
    }

    @Test
    void shouldRejectConnectionsBeyondMaxConnections() throws Exception {
        try (LoopHarness harness = new LoopHarness(LoopHarness.smallConfig().maxConnections(2))) {
            final InetSocketAddress address = harness.listenTcp(new EchoProtocol());
            try (SocketChannel a = SocketChannel.open(address); SocketChannel b = SocketChannel.open(address);
                 SocketChannel c = SocketChannel.open(address)) {
                harness.runUntil(() -> harness.counters().get(EngineCounter.CONNECTIONS_REJECTED) == 1);
                assertTrue(a.isConnected() && b.isConnected());
                assertEquals(2, harness.counters().get(EngineCounter.CONNECTIONS_OPEN));
                c.configureBlocking(true);
                assertEquals(0, Payloads.readToEnd(c).length, "the rejected client sees its connection closed");
            }
        }
    }

    private static void write(final SocketChannel channel, final ByteBuffer buffer) {
        try {
            channel.write(buffer);
        } catch (final IOException ex) {
            throw new AssertionError(ex);
        }
    }

    private static boolean read(final SocketChannel channel, final ByteBuffer buffer) {
        try {
            channel.read(buffer);
            return true;
        } catch (final IOException ex) {
            throw new AssertionError(ex);
        }
    }

    private static byte[] message(final int i) {
        return ("connection " + i + " says hello " + "x".repeat(i % 97) + '\n').getBytes();
    }
}
