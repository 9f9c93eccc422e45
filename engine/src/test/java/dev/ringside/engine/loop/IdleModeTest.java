package dev.ringside.engine.loop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * The non-default idle modes on a loop running on its own thread: both serve, neither ever blocks in
 * {@code select}; {@code spin} never parks, {@code backoff} parks when there is nothing to do.
 * Catches: a mode mapped to another in {@code EventLoop.idle} (spin or backoff blocking in select, backoff
 * spinning forever).
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

    @Test
    void shouldServeAndParkInsteadOfBlockingInSelectWhenBackingOff() throws Exception {
        try (LoopHarness harness = new LoopHarness(LoopHarness.smallConfig().idleMode(IdleMode.BACKOFF))) {
            final InetSocketAddress address = harness.listenTcp(new EchoProtocol());
            harness.startThread();
            echoOnce(address);
            final long cycles = harness.counters().get(EngineCounter.LOOP_CYCLES);
            LoopHarness.await(() -> harness.counters().get(EngineCounter.LOOP_CYCLES) > cycles + 1_000);
            LoopHarness.await(() -> harness.loopThread().getState() == Thread.State.TIMED_WAITING);
            echoOnce(address);
            assertEquals(0, harness.counters().get(EngineCounter.SELECT_WAKEUPS), "never a blocking select");
        }
    }

    private static void echoOnce(final InetSocketAddress address) throws Exception {
        try (SocketChannel client = SocketChannel.open(address)) {
            Payloads.writeFully(client, PING);
            assertArrayEquals(PING, Payloads.readFully(client, PING.length));
        }
    }
}
