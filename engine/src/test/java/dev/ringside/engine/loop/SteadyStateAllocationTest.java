package dev.ringside.engine.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;

import dev.ringside.engine.counter.EngineCounter;
import dev.ringside.engine.protocol.echo.EchoProtocol;
import dev.ringside.engine.testing.LoopHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Proves the loop thread allocates nothing per message once warm: the loop runs on its own thread and
 * {@code ThreadMXBean#getThreadAllocatedBytes} is read for that thread around many echo round trips.
 * Runs with the launcher's {@code -XX:AutoBoxCacheMax} (surefire's argLine), without which the JDK boxes
 * each ready file descriptor above 127.
 */
@Timeout(120)
class SteadyStateAllocationTest {
    private static final int WARMUP_ROUND_TRIPS = 30_000;
    private static final int MEASURED_ROUND_TRIPS = 20_000;
    /** Slack for one-off JIT/runtime bookkeeping on the thread; per-message allocation would be MBs. */
    private static final long TOLERANCE_BYTES = 4096;

    private final com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void shouldAllocateNothingOnLoopThreadPerTcpEcho() throws Exception {
        // Push the connection's fd above 127, where the JDK's selector would box it without AutoBoxCacheMax.
        final java.util.List<DatagramChannel> fillers = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
            fillers.add(DatagramChannel.open());
        }
        try (LoopHarness harness = new LoopHarness(LoopHarness.smallConfig())) {
            final InetSocketAddress address = harness.listenTcp(new EchoProtocol());
            harness.startThread();
            try (SocketChannel client = SocketChannel.open(address)) {
                final ByteBuffer buffer = ByteBuffer.allocateDirect(64);
                roundTrips(client, buffer, WARMUP_ROUND_TRIPS);
                final long before = threads.getThreadAllocatedBytes(harness.loopThread().getId());
                roundTrips(client, buffer, MEASURED_ROUND_TRIPS);
                final long allocated = threads.getThreadAllocatedBytes(harness.loopThread().getId()) - before;
                System.out.println("loop thread allocated " + allocated + " bytes in steady state");
                assertTrue(allocated <= TOLERANCE_BYTES,
                    "loop thread allocated " + allocated + " bytes over " + MEASURED_ROUND_TRIPS + " echoes");
            }
            LoopHarness.await(() -> harness.counters().get(EngineCounter.CONNECTIONS_OPEN) == 0);
        } finally {
            for (final DatagramChannel filler : fillers) {
                filler.close();
            }
        }
    }

    @Test
    void shouldAllocateNothingOnLoopThreadPerUdpEchoFromOneSender() throws Exception {
        try (LoopHarness harness = new LoopHarness(LoopHarness.smallConfig())) {
            final InetSocketAddress address = harness.listenUdp(new EchoProtocol());
            harness.startThread();
            try (DatagramChannel client = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
                client.connect(address);
                final ByteBuffer buffer = ByteBuffer.allocateDirect(64);
                datagramRoundTrips(client, buffer, WARMUP_ROUND_TRIPS);
                final long before = threads.getThreadAllocatedBytes(harness.loopThread().getId());
                datagramRoundTrips(client, buffer, MEASURED_ROUND_TRIPS);
                final long allocated = threads.getThreadAllocatedBytes(harness.loopThread().getId()) - before;
                System.out.println("loop thread allocated " + allocated + " bytes in steady state");
                assertTrue(allocated <= TOLERANCE_BYTES,
                    "loop thread allocated " + allocated + " bytes over " + MEASURED_ROUND_TRIPS + " datagrams");
            }
            assertEquals(0, harness.counters().get(EngineCounter.DATAGRAMS_DROPPED));
        }
    }

    private static void roundTrips(final SocketChannel client, final ByteBuffer buffer, final int count)
        throws Exception {
        for (int i = 0; i < count; i++) {
            buffer.clear();
            while (buffer.hasRemaining()) {
                client.write(buffer);
            }
            buffer.clear();
            while (buffer.hasRemaining()) {
                if (client.read(buffer) < 0) {
                    throw new AssertionError("server closed");
                }
            }
        }
    }

    private static void datagramRoundTrips(final DatagramChannel client, final ByteBuffer buffer, final int count)
        throws Exception {
        for (int i = 0; i < count; i++) {
            buffer.clear();
            client.write(buffer);
            buffer.clear();
            client.read(buffer);
        }
    }
}
