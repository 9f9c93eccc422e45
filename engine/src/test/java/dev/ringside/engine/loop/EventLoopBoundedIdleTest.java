package dev.ringside.engine.loop;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import dev.ringside.engine.config.LoopConfig;
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
            final long startNs = System.nanoTime();
            for (int i = 0; i < 1_000; i++) {
                harness.loop().idle(0, 500_000);
            }
            // 1,000 waits that each blocked even one millisecond would take a second.
            assertTrue(System.nanoTime() - startNs < TimeUnit.MILLISECONDS.toNanos(500));
        }
    }
}
