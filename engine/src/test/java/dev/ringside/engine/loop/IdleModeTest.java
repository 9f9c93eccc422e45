package dev.ringside.engine.loop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

import dev.ringside.engine.config.IdleMode;
import dev.ringside.engine.counter.EngineCounter;
import dev.ringside.engine.protocol.echo.EchoProtocol;
import dev.ringside.engine.testing.LoopHarness;
import dev.ringside.engine.testing.Payloads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The non-default idle modes on a loop running on its own thread: both serve; {@code spin} never blocks in
 * {@code select} nor parks, {@code backoff} polls a while and then blocks in {@code select}.
 * Catches: a mode mapped to another in {@code EventLoop.idle} (spin blocking in select, backoff spinning forever).
 */
@Timeout(60)
class IdleModeTest {
    private static final byte[] PING = "ping".getBytes(StandardCharsets.US_ASCII);

    @Test
    void shouldServeWithoutEverBlockingInSelectWhenSpinning() throws Exception {
        try (LoopHarness harness = new LoopHarness(LoopHarness.smallConfig().idleMode(IdleMode.SPIN))) {
            final InetSocketAddress address = harness.listenTcp(new EchoProtocol());
            harness.startThread();
            echoOnce(address);
            // With nothing to do the loop keeps cycling: a blocking idle would stop the count.
            final long cycles = harness.counters().get(EngineCounter.LOOP_CYCLES);
            LoopHarness.await(() -> harness.counters().get(EngineCounter.LOOP_CYCLES) > cycles + 100_000);
            for (int i = 0; i < 10_000; i++) {
                final Thread.State state = harness.loopThread().getState();
                if (state == Thread.State.TIMED_WAITING || state == Thread.State.WAITING) {
                    throw new AssertionError("a spinning loop parked: " + state);
                }
            }
            assertEquals(0, harness.counters().get(EngineCounter.SELECT_WAKEUPS), "never a blocking select");
        }
    }

    /**
     * Backoff polls for a while after work and then blocks in select: with nothing to do it stops cycling, and the
     * next connection wakes it. Catches: a poll that never ends (the loop keeps cycling and no blocking select
     * ever returns), and backoff mapped to spin in {@code EventLoop.idle}.
     */
    @Test
    void shouldServeAndThenBlockInSelectWhenBackingOff() throws Exception {
        try (LoopHarness harness = new LoopHarness(LoopHarness.smallConfig().idleMode(IdleMode.BACKOFF))) {
            final InetSocketAddress address = harness.listenTcp(new EchoProtocol());
            harness.startThread();
            echoOnce(address);
            // Wait until the loop has stopped cycling (its poll is over and it blocks in select), then wake it.
            LoopHarness.await(() -> {
                final long before = harness.counters().get(EngineCounter.LOOP_CYCLES);
                for (int i = 0; i < 100_000; i++) {
                    Thread.onSpinWait();
                }
                return harness.counters().get(EngineCounter.LOOP_CYCLES) == before;
            });
            final long wakeUps = harness.counters().get(EngineCounter.SELECT_WAKEUPS);
            echoOnce(address);
            LoopHarness.await(() -> harness.counters().get(EngineCounter.SELECT_WAKEUPS) > wakeUps);
            assertTrue(harness.counters().get(EngineCounter.SELECT_WAKEUPS) > wakeUps, "blocked in select");
        }
    }

    private static void echoOnce(final InetSocketAddress address) throws Exception {
        try (SocketChannel client = SocketChannel.open(address)) {
            Payloads.writeFully(client, PING);
            assertArrayEquals(PING, Payloads.readFully(client, PING.length));
        }
    }
}
