package dev.ringside.engine.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

import dev.ringside.engine.buffer.ByteRing;
import dev.ringside.engine.config.LoopConfig;
import dev.ringside.engine.counter.EngineCounter;
import dev.ringside.engine.protocol.CloseReason;
import dev.ringside.engine.protocol.echo.EchoProtocol;
import dev.ringside.engine.testing.LoopHarness;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the loop does for its endpoints, on the test thread with a manual clock where time matters: the work a
 * cycle reports, ring leases against the pool's reserve and the shedding they trigger, the counters it keeps,
 * its list of resources, the clock after a blocking select, and close. Written against PIT's surviving mutants
 * of {@link EventLoop} when only the loop's own tests run (each test names the bugs it catches).
 */
@Timeout(30)
class EventLoopServicesTest {
    private static final long T0 = 1_000_000_000_000L;
    /** 32 blocks: a reserve of 2 (a sixteenth). */
    private static final int POOL_BLOCKS = 32;
    private static final int RING_BYTES = 16 * 1024;

    /** A resource that records how it was closed and leaves the loop's list, as endpoints do. */
    private static final class Recorded extends LoopResource {
        private final EventLoop loop;
        private final List<CloseReason> closes = new ArrayList<>();
        private final long shedScore;
        private Recorded partner;

        Recorded(final EventLoop loop, final long shedScore) {
            this.loop = loop;
            this.shedScore = shedScore;
            loop.addResource(this);
        }

        @Override
        public void close(final CloseReason reason) {
            if (!closes.isEmpty()) {
                return;
            }
            closes.add(reason);
            loop.removeResource(this);
            if (partner != null) {
                partner.close(reason); // a close that takes another resource with it (a room and a member)
            }
        }

        @Override
        public long shedScore(final long nowNs, final long minStallNs) {
            return shedScore;
        }
    }

    @Test
    void shouldCountCommandsTimersAndDeferredFlushesAsTheCyclesWork() {
        // Catches: drainCommands answering 0, the timers' or the deferred flushes' work subtracted from the
        // cycle's count, timerCount answering 0, a deferred flush that never runs or runs twice, the command and
        // timer-expiry counters not kept.
        final CachedNanoClock clock = new CachedNanoClock();
        clock.update(T0);
        try (LoopHarness harness = new LoopHarness(new LoopConfig(), clock)) {
            final EventLoop loop = harness.loop();
            final int[] ran = new int[1];
            for (int i = 0; i < 3; i++) {
                assertTrue(loop.execute(() -> ran[0]++));
            }
            assertEquals(3, loop.doWork(), "three commands, nothing else");
            assertEquals(3, ran[0]);
            assertEquals(3, harness.counters().get(EngineCounter.COMMANDS));

            final int[] fired = new int[1];
            loop.scheduleTimer(T0 + 1_000_000, (nowNs, timerId) -> fired[0]++);
            assertEquals(1, loop.timerCount());
            clock.update(T0 + 100_000_000);
            int work = 0;
            for (int i = 0; i < 100 && fired[0] == 0; i++) {
                work = loop.doWork();
            }
            assertEquals(1, fired[0]);
            assertEquals(1, work, "the cycle that fired the timer counts it");
            assertEquals(1, harness.counters().get(EngineCounter.TIMER_EXPIRIES));
            assertEquals(0, loop.timerCount());

            final int[] flushed = new int[1];
            loop.deferFlush(() -> {
                flushed[0]++;
                return 2;
            });
            assertEquals(2, loop.doWork(), "the deferred flush's work");
            assertEquals(0, loop.doWork(), "once only");
            assertEquals(1, flushed[0]);
        }
    }

    @Test
    void shouldKeepTheReserveForFirstRingsAndShedAHoarderOnlyWhenThePoolRunsLow() {
        // Catches: the reserve computed as poolRings << 4 instead of >> 4 (no growth lease ever succeeds), the
        // reserve applied to first rings instead of growth, ring counters not updated on lease or release, the
        // shed pass skipped when requested or its work subtracted from the cycle's count.
        final CachedNanoClock clock = new CachedNanoClock();
        clock.update(T0);
        final LoopConfig config = new LoopConfig().ringCapacityBytes(RING_BYTES).poolRings(POOL_BLOCKS);
        try (LoopHarness harness = new LoopHarness(config, clock)) {
            final EventLoop loop = harness.loop();
            assertEquals(2, loop.reserveBlocks());
            final Recorded hoarder = new Recorded(loop, 1);

            final ByteRing growth = loop.leaseRing(RING_BYTES, false);
            assertNotNull(growth, "an empty pool grants growth");
            assertEquals(1, harness.counters().get(EngineCounter.RINGS_LEASED));
            assertEquals(RING_BYTES, harness.counters().get(EngineCounter.POOL_BYTES_LEASED));
            loop.releaseRing(growth);
            assertEquals(0, harness.counters().get(EngineCounter.RINGS_LEASED));
            assertEquals(0, harness.counters().get(EngineCounter.POOL_BYTES_LEASED));

            for (int i = 0; i < POOL_BLOCKS - 2; i++) {
                assertNotNull(loop.leaseRing(RING_BYTES, true));
            }
            loop.doWork();
            assertTrue(hoarder.closes.isEmpty(), "down to the reserve, not into it: nobody is shed");
            assertNull(loop.leaseRing(RING_BYTES, false), "growth may not take the reserve");
            loop.doWork();
            assertTrue(hoarder.closes.isEmpty(), "a refused growth alone does not shed while the reserve holds");
            assertNotNull(loop.leaseRing(RING_BYTES, true), "a first ring may take the reserve");
            clock.update(T0 + EventLoop.TIMER_TICK_NS); // past the quiet period of the fruitless pass before
            assertEquals(1, loop.doWork(), "the shed counts as the cycle's work");
            assertEquals(List.of(CloseReason.SHED_POOL_LOW), hoarder.closes, "into the reserve: the hoarder goes");
        }
    }

    @Test
    void shouldForgetResourcesInAnyOrderAndCloseEachOnceOnClose() {
        // Catches: removeResource ignoring the resource at index 0, close skipping index 0, closing past the end
        // of a list that a close shortened by two, close not closing resources, the selector or the pool, and a
        // second close closing again.
        try (LoopHarness harness = new LoopHarness(new LoopConfig())) {
            final EventLoop loop = harness.loop();
            final Recorded first = new Recorded(loop, 0);
            final Recorded second = new Recorded(loop, 0);
            final Recorded third = new Recorded(loop, 0);
            loop.removeResource(first);
            assertEquals(2, loop.resourceCount());
            loop.removeResource(first);
            assertEquals(2, loop.resourceCount(), "a resource already removed is not removed twice");
            final Recorded a = new Recorded(loop, 0);
            final Recorded b = new Recorded(loop, 0);
            b.partner = a; // closing b (at the end of the list) takes a with it: the list shrinks by two
            loop.close();
            for (final Recorded resource : List.of(second, third, a, b)) {
                assertEquals(List.of(CloseReason.SHUTDOWN), resource.closes);
            }
            assertTrue(first.closes.isEmpty(), "removed before the close");
            assertEquals(0, loop.resourceCount());
            assertFalse(loop.selector().isOpen());
            assertNull(loop.pool().lease(1), "the pool is closed");
            final Recorded late = new Recorded(loop, 0);
            loop.close();
            assertTrue(late.closes.isEmpty(), "close is idempotent: the second one does nothing");
        }
    }

    @Test
    void shouldReadTheClockAgainForKeysABlockingSelectDispatched() throws Exception {
        // Catches: the clock not refreshed after a blocking select (a connection would see the time from before
        // the wait), nowNs answering 0, a blocking select not counted, the open-connections counter not kept.
        final CachedNanoClock clock = new CachedNanoClock();
        clock.update(T0);
        try (LoopHarness harness = new LoopHarness(LoopHarness.smallConfig(), clock);
            SocketChannel client = SocketChannel.open(harness.listenTcp(new EchoProtocol()))) {
            final EventLoop loop = harness.loop();
            harness.runUntil(() -> loop.openConnections() == 1);
            assertEquals(1, harness.counters().get(EngineCounter.CONNECTIONS_OPEN));
            assertEquals(T0, loop.nowNs());
            client.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            clock.update(T0 + 5_000_000_000L);
            final long wakeUps = harness.counters().get(EngineCounter.SELECT_WAKEUPS);
            loop.idle(0); // returns with the readable key dispatched
            assertEquals(T0 + 5_000_000_000L, loop.nowNs(), "the dispatch saw the time after the wait");
            assertEquals(wakeUps + 1, harness.counters().get(EngineCounter.SELECT_WAKEUPS));
            client.shutdownOutput(); // end of stream: the server closes its side
            harness.runUntil(() -> loop.openConnections() == 0);
            assertEquals(0, harness.counters().get(EngineCounter.CONNECTIONS_OPEN));
        }
    }

    @Test
    void shouldBlockForACallersDeadlineOfOneMillisecondAndForTheNextTimerTick() {
        // Catches: a caller's deadline of 1 ms treated as too short to block (`< 1` as `<= 1`), and a wait
        // with a timer pending that ignores the timer (select without a timeout: it never returns, and the
        // watchdog fails the test).
        try (LoopHarness harness = new LoopHarness(new LoopConfig())) {
            final EventLoop loop = harness.loop();
            loop.idle(0, 1_500_000);
            assertEquals(1, harness.counters().get(EngineCounter.SELECT_WAKEUPS), "1 ms is long enough to block");
            loop.doWork();
            loop.scheduleTimer(loop.nowNs() + 10_000_000_000L, (nowNs, timerId) -> { });
            loop.idle(0); // nothing ready: the select ends at the next tick of the timer wheel
            assertEquals(2, harness.counters().get(EngineCounter.SELECT_WAKEUPS));
        }
    }
}
