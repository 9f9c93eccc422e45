package dev.ringside.engine.endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

import dev.ringside.engine.config.LoopConfig;
import dev.ringside.engine.counter.EngineCounter;
import dev.ringside.engine.protocol.CloseReason;
import dev.ringside.engine.testing.LineEchoProtocol;
import dev.ringside.engine.testing.LoopHarness;
import dev.ringside.engine.testing.Payloads;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Deadlines a peer cannot reset by trickling: a started frame must complete, queued output must move. */
@Timeout(60)
class DeadlinesTest {
    private static final long SECOND_NS = TimeUnit.SECONDS.toNanos(1);

    /**
     * Catches: a frame deadline that moves with every byte (as the idle timer does), which lets a slowloris
     * hold its ring forever by sending a byte every few seconds.
     */
    @Test
    void shouldExpireATrickledFrameAtTheFrameTimeout() throws Exception {
        final CachedNanoClock clock = new CachedNanoClock();
        clock.update(SECOND_NS);
        final LoopConfig config = LoopHarness.smallConfig().frameTimeoutNs(10 * SECOND_NS)
            .idleTimeoutNs(5 * SECOND_NS);
        try (LoopHarness harness = new LoopHarness(config, clock)) {
            final InetSocketAddress address = harness.listenTcp(new LineEchoProtocol());
            try (SocketChannel steady = SocketChannel.open(address);
                 SocketChannel trickler = SocketChannel.open(address)) {
                long bytesIn = 0;
                // Both send every 3 s, beating the 5 s idle timeout; only the steady one completes its lines.
                for (int i = 0; i < 4; i++) {
                    Payloads.writeFully(steady, "ok\n".getBytes());
                    Payloads.writeFully(trickler, new byte[] {'x'});
                    bytesIn += 4;
                    final long expected = bytesIn;
                    harness.runUntil(() -> harness.counters().get(EngineCounter.BYTES_IN) == expected);
                    assertEquals("ok\n", new String(Payloads.readFully(steady, 3)));
                    advance(harness, clock, 3 * SECOND_NS);
                }
                // t = 12 s after the trickler's first byte.
                harness.runUntil(() -> harness.counters().closedBy(CloseReason.FRAME_TIMEOUT) == 1);
                assertEquals(0, harness.counters().closedBy(CloseReason.IDLE_TIMEOUT));
                assertEquals(1, harness.counters().get(EngineCounter.CONNECTIONS_OPEN), "the steady client stays");
                final long outBefore = harness.counters().get(EngineCounter.BYTES_OUT);
                Payloads.writeFully(steady, "still\n".getBytes());
                harness.runUntil(() -> harness.counters().get(EngineCounter.BYTES_OUT) == outBefore + 6);
                assertEquals("still\n", new String(Payloads.readFully(steady, 6)));
            }
            harness.runUntil(() -> harness.counters().get(EngineCounter.CONNECTIONS_OPEN) == 0);
            assertEquals(0, harness.leasedRings());
        }
    }

    /**
     * Catches: a write deadline counted from the first stall rather than the last progress (a slow but
     * reading peer would be cut), and one that never fires (a non-reader would hold its ring forever).
     */
    @Test
    void shouldCloseANonReaderAtTheWriteTimeoutCountedFromLastProgress() throws Exception {
        final CachedNanoClock clock = new CachedNanoClock();
        clock.update(SECOND_NS);
        final LoopConfig config = LoopHarness.smallConfig().writeTimeoutNs(30 * SECOND_NS)
            .socketSendBufferBytes(4096);
        try (LoopHarness harness = new LoopHarness(config, clock)) {
            final InetSocketAddress address = harness.listenTcp(new ReadBlockingTest.KilobytePerByteProtocol());
            try (SocketChannel client = SocketChannel.open()) {
                client.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
                client.connect(address);
                // 127 bytes ask for 127 KiB: far more than the ring and socket buffers, so output stays queued.
                Payloads.writeFully(client, new byte[127]);
                client.configureBlocking(false);
                harness.runUntil(() -> harness.counters().get(EngineCounter.BACKPRESSURE_STALLS) >= 1);
                advance(harness, clock, 20 * SECOND_NS);
                // The peer reads a little at t+20 s: progress, so the deadline moves to t+50 s.
                final ByteBuffer sip = ByteBuffer.allocate(32 * 1024);
                final long outBefore = harness.counters().get(EngineCounter.BYTES_OUT);
                harness.runUntil(() -> {
                    sip.clear();
                    read(client, sip);
                    return harness.counters().get(EngineCounter.BYTES_OUT) > outBefore;
                });
                advance(harness, clock, 25 * SECOND_NS);
                assertEquals(0, harness.counters().closedBy(CloseReason.WRITE_TIMEOUT), "t+45 s: still in time");
                clock.advance(6 * SECOND_NS);
                harness.runUntil(() -> harness.counters().closedBy(CloseReason.WRITE_TIMEOUT) == 1);
            }
            assertEquals(0, harness.leasedRings());
        }
    }

    /** Moves the clock in timer ticks, letting the loop run each, so the wheel sees every tick. */
    static void advance(final LoopHarness harness, final CachedNanoClock clock, final long ns) {
        final long step = 8_000_000;
        for (long done = 0; done < ns; done += step) {
            clock.advance(Math.min(step, ns - done));
            harness.cycle();
        }
        for (int i = 0; i < 100; i++) {
            harness.cycle();
        }
    }

    private static void read(final SocketChannel channel, final ByteBuffer buffer) {
        try {
            channel.read(buffer);
        } catch (final IOException ex) {
            throw new AssertionError(ex);
        }
    }
}
