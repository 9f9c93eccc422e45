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
            if (deadlineNs - firstAskedNs[0] > 2 * LoopRunner.NEAR_DEADLINE_NS) {
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

    /**
     * Backoff: after work the runner polls, so an event that comes a few microseconds later is handled without a
     * blocking select. Catches: a runner that never polls (tried: a zero poll budget; every idle episode blocks in
     * select, until a few ms before the far deadline, and the wake-up count is 5, not 0).
     */
    @Test
    @Timeout(30)
    void shouldPollAfterWorkSoThatAnEventWithinTheBudgetNeedsNoWakeUp() {
        final CachedNanoClock clock = new CachedNanoClock();
        clock.update(1_000_000_000L);
        try (LoopHarness harness = new LoopHarness(new LoopConfig().idleMode(IdleMode.BACKOFF), clock)) {
            final int[] cycles = {0};
            final int[] events = {0};
            final LoopAgent agent = new LoopAgent() {
                @Override
                public int doWork() {
                    // Work, then four idle cycles of 1 µs each, then the next event: 5 µs apart, within the budget.
                    clock.advance(1_000);
                    if (cycles[0]++ % 5 == 0) {
                        events[0]++;
                        return 1;
                    }
                    return 0;
                }

                @Override
                public long nextDeadlineNs(final long nowNs) {
                    return nowNs + TimeUnit.MILLISECONDS.toNanos(5);
                }

                @Override
                public boolean isRunning() {
                    return cycles[0] < 26; // six events (cycles 0, 5, ... 25) and the twenty idle cycles between
                }

                @Override
                public void onCycleError(final RuntimeException ex) {
                    throw ex;
                }
            };
            final LoopRunner runner = new LoopRunner(harness.loop(), clock);
            runner.run(agent);
            assertEquals(0, harness.counters().get(EngineCounter.SELECT_WAKEUPS), "every event caught by the poll");
            assertEquals(6 * 1_000, runner.busyNs(), "only the six cycles that did work are busy");
            assertEquals(20 * 1_000, runner.pollNs(), "the twenty idle cycles are polling");
        }
    }

    /**
     * Backoff: a poll that finds nothing ends after its budget and the runner blocks in select. Catches: a poll that
     * never ends (tried: no budget check; the agent's cycle cap of 10,000 is reached with no blocking select).
     */
    @Test
    @Timeout(30)
    void shouldBlockInSelectOnceThePollBudgetIsSpent() {
        final CachedNanoClock clock = new CachedNanoClock();
        clock.update(1_000_000_000L);
        try (LoopHarness harness = new LoopHarness(new LoopConfig().idleMode(IdleMode.BACKOFF), clock)) {
            final long[] idleCycles = {0};
            final boolean[] worked = {false};
            final LoopAgent agent = new LoopAgent() {
                @Override
                public int doWork() {
                    clock.advance(1_000);
                    if (!worked[0]) {
                        worked[0] = true;
                        return 1;
                    }
                    idleCycles[0]++;
                    return 0;
                }

                @Override
                public long nextDeadlineNs(final long nowNs) {
                    return nowNs + TimeUnit.MILLISECONDS.toNanos(3); // the real select lasts about 2 ms
                }

                @Override
                public boolean isRunning() {
                    // The cap, 400 times the budget, ends a poll that never ends (each cycle yields, so it is slow).
                    return harness.counters().get(EngineCounter.SELECT_WAKEUPS) == 0 && idleCycles[0] < 10_000;
                }

                @Override
                public void onCycleError(final RuntimeException ex) {
                    throw ex;
                }
            };
            final LoopRunner runner = new LoopRunner(harness.loop(), clock);
            runner.run(agent);
            assertEquals(1, harness.counters().get(EngineCounter.SELECT_WAKEUPS), "blocked after the poll");
            // 1 µs per idle cycle: the poll lasted its budget, give or take the cycle that noticed it was spent.
            final long budgetCycles = LoopRunner.INITIAL_POLL_NS / 1_000;
            assertTrue(idleCycles[0] >= budgetCycles && idleCycles[0] <= budgetCycles + 1,
                idleCycles[0] + " idle cycles polled, budget " + budgetCycles);
        }
    }

    /**
     * Backoff adapts: a block far longer than the longest poll halves the budget (a loop whose events come seldom
     * stops polling). Catches: a fixed budget (tried: no adaptation; the budget stays at its initial value).
     */
    @Test
    @Timeout(30)
    void shouldShrinkThePollBudgetAfterALongBlock() {
        try (LoopHarness harness = new LoopHarness(new LoopConfig().idleMode(IdleMode.BACKOFF))) {
            final NanoClock clock = SystemNanoClock.INSTANCE;
            final LoopRunner runner = new LoopRunner(harness.loop(), clock);
            final long capNs = clock.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            final LoopAgent agent = new LoopAgent() {
                @Override
                public int doWork() {
                    return 0;
                }

                @Override
                public long nextDeadlineNs(final long nowNs) {
                    return nowNs + TimeUnit.MILLISECONDS.toNanos(20);
                }

                @Override
                public boolean isRunning() {
                    // Two blocks, or 5 s of wall time (a runner that never blocks would poll forever).
                    return harness.counters().get(EngineCounter.SELECT_WAKEUPS) < 2 && clock.nanoTime() < capNs;
                }

                @Override
                public void onCycleError(final RuntimeException ex) {
                    throw ex;
                }
            };
            runner.run(agent);
            assertEquals(2, harness.counters().get(EngineCounter.SELECT_WAKEUPS), "blocked twice");
            // Two blocks of ~19 ms: the budget halved twice, and below the grow start it is 0.
            assertEquals(LoopRunner.INITIAL_POLL_NS / 4 < LoopRunner.POLL_GROW_START_NS ? 0
                : LoopRunner.INITIAL_POLL_NS / 4, runner.pollBudgetNs());
        }
    }
}
