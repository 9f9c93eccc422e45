package dev.ringside.engine.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import dev.ringside.engine.config.IdleMode;
import dev.ringside.engine.config.LoopConfig;
import dev.ringside.engine.counter.EngineCounter;
import dev.ringside.engine.testing.LoopHarness;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class LoopRunnerTest {
    /**
     * An agent with a deadline of its own and nothing else to wake it (no I/O, no timer, no command) still runs
     * at its deadline, and waits for it blocked in {@code select}, not spinning. Catches: a runner that ignores
     * the deadline hook (tried: {@code loop.idle(0)} for every deadline; the select waits forever and the
     * watchdog fires) and one that spins all the way (tried: no blocking wait; no select wake-up is counted).
     */
    @Test
    @Timeout(30)
    void shouldBlockUntilShortlyBeforeTheAgentsDeadlineAndRunItThen() {
        try (LoopHarness harness = new LoopHarness(new LoopConfig().idleMode(IdleMode.BLOCK))) {
            final NanoClock clock = SystemNanoClock.INSTANCE;
            final long deadlineNs = clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
            final long[] ranAtNs = {0};
            final long[] firstAskedNs = {0};
            final LoopAgent agent = new LoopAgent() {
                @Override
                public int doWork() {
                    final long nowNs = clock.nanoTime();
                    if (nowNs - deadlineNs >= 0 && ranAtNs[0] == 0) {
                        ranAtNs[0] = nowNs;
                    }
                    return 0;
                }

                @Override
                public long nextDeadlineNs(final long nowNs) {
                    if (firstAskedNs[0] == 0) {
                        firstAskedNs[0] = nowNs;
                    }
                    return deadlineNs;
                }

                @Override
                public boolean isRunning() {
                    return ranAtNs[0] == 0;
                }

                @Override
                public void onCycleError(final RuntimeException ex) {
                    throw ex;
                }
            };
            new LoopRunner(harness.loop(), clock).run(agent);
            assertTrue(ranAtNs[0] - deadlineNs >= 0, "ran at its deadline");
            // Only when the runner first asked with more than the spin margin left must it have blocked (a thread
            // descheduled past that point on a loaded machine may rightly only spin).
            if (deadlineNs - firstAskedNs[0] > 2 * LoopRunner.SPIN_BEFORE_DEADLINE_NS) {
                assertTrue(harness.counters().get(EngineCounter.SELECT_WAKEUPS) >= 1,
                    "waited for it in select rather than spinning " + (deadlineNs - firstAskedNs[0]) + " ns");
            }
        }
    }

    /**
     * Busy time is the time of cycles that did work, nothing else. Catches: counting idle cycles or the idle wait
     * (tried: adding every cycle; busy came out 5,010,000 ns).
     */
    @Test
    @Timeout(30)
    void shouldCountOnlyTheTimeOfCyclesThatDidWork() {
        final CachedNanoClock clock = new CachedNanoClock();
        clock.update(1_000_000_000L);
        try (LoopHarness harness = new LoopHarness(new LoopConfig().idleMode(IdleMode.SPIN), clock)) {
            final int[] cycles = {0};
            final LoopAgent agent = new LoopAgent() {
                @Override
                public int doWork() {
                    final boolean busy = cycles[0]++ % 2 == 0;
                    // A busy cycle takes 1 µs; an idle one 1 ms (time that must not count).
                    clock.advance(busy ? 1_000 : 1_000_000);
                    return busy ? 1 : 0;
                }

                @Override
                public boolean isRunning() {
                    return cycles[0] < 10;
                }

                @Override
                public void onCycleError(final RuntimeException ex) {
                    throw ex;
                }
            };
            final LoopRunner runner = new LoopRunner(harness.loop(), clock);
            runner.run(agent);
            assertEquals(10, cycles[0]);
            assertEquals(5 * 1_000, runner.busyNs());
        }
    }
}
