package dev.ringside.engine.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

import dev.ringside.engine.config.Units;
import dev.ringside.engine.counter.CounterTotals;
import dev.ringside.engine.counter.CountersFile;
import dev.ringside.engine.counter.EngineCounter;
import dev.ringside.engine.loop.EventLoop;
import dev.ringside.engine.testing.LoopHarness;
import dev.ringside.engine.testing.Payloads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ServerTest {
    @Test
    void shouldServeSeveralTcpAndUdpListenersFromOneLoopAndPublishCounters() throws Exception {
        final ServerSettings settings = new ServerSettings()
            .tcp(Units.parseAddress("127.0.0.1:0")).tcp(Units.parseAddress("127.0.0.1:0"))
            .udp(Units.parseAddress("127.0.0.1:0")).udp(Units.parseAddress("127.0.0.1:0"))
            .publishCounters(true);
        final Server server = new Server(settings, System.err);
        final File countersFile = server.countersFile().file();
        try {
            server.start();
            for (final InetSocketAddress address : server.tcpAddresses()) {
                try (SocketChannel client = SocketChannel.open(address)) {
                    Payloads.writeFully(client, "tcp hello".getBytes());
                    assertArrayEquals("tcp hello".getBytes(), Payloads.readFully(client, 9));
                }
            }
            for (final InetSocketAddress address : server.udpAddresses()) {
                try (DatagramChannel client = DatagramChannel.open()) {
                    client.connect(address);
                    client.write(ByteBuffer.wrap("udp hello".getBytes()));
                    final ByteBuffer reply = ByteBuffer.allocate(64);
                    client.read(reply);
                    assertEquals("udp hello", new String(reply.array(), 0, reply.position()));
                }
            }
            // The loop counts a reply after sending it, so the client can see the reply before the count moves.
            LoopHarness.await(() -> server.totals().value(EngineCounter.CONNECTIONS_CLOSED) == 2
                && server.totals().value(EngineCounter.DATAGRAMS_OUT) == 2);

            // Another reader (what 'ringside stat' does) sees the same figures through the mapped file.
            try (CountersFile reader = CountersFile.open(countersFile)) {
                final CounterTotals totals = CounterTotals.read(reader.newReader());
                assertEquals(ProcessHandle.current().pid(), reader.pid());
                assertEquals(18, totals.value(EngineCounter.BYTES_IN));
                assertEquals(2, totals.value(EngineCounter.DATAGRAMS_OUT));
                assertEquals(2, totals.value(EngineCounter.CONNECTIONS_ACCEPTED));
            }
            // What 'ringside stat --once PID' prints (its command is tested in client-bench, StatCommandTest).
            final String stat;
            try (CountersFile reader = CountersFile.open(countersFile)) {
                stat = CounterTotals.read(reader.newReader()).format(true);
            }
            assertTrue(stat.matches("(?s).*bytes in\\s+18\\n.*"), stat);
        } finally {
            server.shutdown(TimeUnit.SECONDS.toNanos(1));
            server.close();
        }
        assertFalse(countersFile.exists(), "the counters file is removed at exit");
    }

    @Test
    void shouldSpreadConnectionsOverSeveralLoopsSharingThePort() throws Exception {
        final ServerSettings settings = new ServerSettings().tcp(Units.parseAddress("127.0.0.1:0")).loops(2);
        try (Server server = new Server(settings, System.err)) {
            server.start();
            final InetSocketAddress address = server.tcpAddresses().get(0);
            for (int i = 0; i < 40; i++) {
                try (SocketChannel client = SocketChannel.open(address)) {
                    Payloads.writeFully(client, new byte[] {(byte) i});
                    assertEquals((byte) i, Payloads.readFully(client, 1)[0]);
                }
            }
            assertEquals(40, server.totals().value(EngineCounter.CONNECTIONS_ACCEPTED));
            // Each loop has its own listener on the port (SO_REUSEPORT) and the kernel spreads connections by
            // their addresses: both loops serve some (all 40 on one loop by chance: 2 in 2^40).
            // Catches: every listener registered on the first loop, or only one loop listening.
            assertEquals(2, server.loops().size());
            for (final EventLoop loop : server.loops()) {
                final long accepted = loop.counters().get(EngineCounter.CONNECTIONS_ACCEPTED);
                assertTrue(accepted > 0 && accepted < 40, loop.name() + " accepted " + accepted + " of 40");
            }
            server.shutdown(TimeUnit.SECONDS.toNanos(1));
        }
    }

    /**
     * Catches: a grace deadline checked only when some other timer wakes the loop (the loop sleeps in select
     * and shutdown waits for the 5 s join cap), and counters read before the connections are closed.
     */
    @Test
    void shouldEndWithinGraceWhenPeersNeverReadAndReportFinalCounters() throws Exception {
        final ServerSettings settings = new ServerSettings().tcp(Units.parseAddress("127.0.0.1:0"))
            .loopConfig(new dev.ringside.engine.config.LoopConfig().socketSendBufferBytes(4096));
        final Server server = new Server(settings, System.err);
        final java.util.List<SocketChannel> clients = new java.util.ArrayList<>();
        try {
            server.start();
            final InetSocketAddress address = server.tcpAddresses().get(0);
            final ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
            for (int i = 0; i < 20; i++) {
                final SocketChannel client = SocketChannel.open();
                client.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 4096);
                client.connect(address);
                client.configureBlocking(false);
                clients.add(client);
            }
            // Echo output backs up behind peers that never read.
            LoopHarness.await(() -> {
                for (final SocketChannel client : clients) {
                    chunk.clear();
                    try {
                        client.write(chunk);
                    } catch (final java.io.IOException ex) {
                        throw new AssertionError(ex);
                    }
                }
                return server.totals().value(EngineCounter.BACKPRESSURE_STALLS) >= 20;
            });
            final long startNs = System.nanoTime();
            server.shutdown(TimeUnit.MILLISECONDS.toNanos(500));
            final long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
            // Without the grace bound the shutdown would wait forever on peers that never read; 10 s (not 3 s)
            // leaves room for joining two loop threads at a load of 10-30 on 2 cores.
            assertTrue(tookMs < 10_000, "shutdown took " + tookMs + " ms with a 500 ms grace");
            final CounterTotals totals = server.totals();
            assertEquals(0, totals.value(EngineCounter.CONNECTIONS_OPEN));
            assertEquals(20, totals.value(EngineCounter.CLOSE_REASON_TYPE_BASE
                + dev.ringside.engine.protocol.CloseReason.SHUTDOWN.ordinal()));
        } finally {
            for (final SocketChannel client : clients) {
                client.close();
            }
            server.close();
        }
    }
}
