package dev.ringside.engine.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import dev.ringside.engine.config.LoopConfig;
import dev.ringside.engine.counter.EngineCounter;
import dev.ringside.engine.testing.LoopHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class EventLoopBoundedIdleTest {
    @Test
    @Timeout(30)
    void shouldReturnFromBlockingIdleByTheCallersDeadlineWhenNoTimerIsSet() {
        try (LoopHarness harness = new LoopHarness(new LoopConfig())) {
            final EventLoop loop = harness.loop();
            assertTrue(loop.timerCount() == 0);
            final long startNs = System.nanoTime();
            loop.idle(0, TimeUnit.MILLISECONDS.toNanos(20));
            final long elapsedNs = System.nanoTime() - startNs;
            // Without the bound, select would wait for I/O that never comes; the watchdog would fire.
            assertTrue(elapsedNs >= TimeUnit.MILLISECONDS.toNanos(15), "returned early: " + elapsedNs + " ns");
            assertTrue(elapsedNs < TimeUnit.SECONDS.toNanos(5), "blocked too long: " + elapsedNs + " ns");
        }
    }

    @Test
    @Timeout(30)
    void shouldNotBlockWhenTheCallersDeadlineIsBelowOneMillisecond() {
        try (LoopHarness harness = new LoopHarness(new LoopConfig())) {
            for (int i = 0; i < 1_000; i++) {
                harness.loop().idle(0, 500_000);
            }
            // Every blocking select is counted: none may have happened. (A wall-clock bound here would flake on
            // a loaded machine; the counter cannot.)
            assertEquals(0, harness.counters().get(EngineCounter.SELECT_WAKEUPS), "no idle call blocked");
        }
    }
}
