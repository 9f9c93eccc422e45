package dev.ringside.engine.loop;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.ringside.engine.config.IdleMode;
import org.agrona.concurrent.NanoClock;

/**
 * The one duty cycle and idle policy of every loop thread (Agrona's {@code AgentRunner}): run the agent's
 * cycle, and when it did nothing, idle according to the loop's {@link IdleMode} until the agent's next
 * deadline. The server's loop and the load generator both run here, so there is one idle policy to study.
 *
 * <p>Idle, when a cycle did no work (every idle cycle is itself a poll: the agent's cycle calls {@code selectNow}):
 * <ul>
 *   <li>{@link IdleMode#SPIN}: a spin-wait hint, then the next cycle. Never blocks.</li>
 *   <li>{@link IdleMode#BACKOFF}: after work (or a wake-up), keep polling for up to the poll budget, the first
 *       {@link #SPINS_BEFORE_YIELD} cycles with a spin-wait hint and then with {@link Thread#yield()}, which
 *       hands the CPU to any other runnable thread on it (a fleet sibling, a JIT compiler thread) and returns at
 *       once on a CPU of its own; then block as {@link IdleMode#BLOCK} does. A reply that comes within the poll
 *       costs no sleep and wake-up (~20 µs across CPUs on this kind of VM: the closed-loop gap to wrk). The
 *       budget adapts per loop as KVM's halt polling does ({@code virt/kvm/kvm_main.c}, {@code halt_poll_ns}):
 *       a block that ended within {@link #MAX_POLL_NS} grows it (twice, from {@link #POLL_GROW_START_NS}), a
 *       longer one halves it (to 0 below the start), so a loop whose events come seldom stops polling and a busy
 *       one polls just long enough. Polling is bounded twice: by the budget per idle episode, and by the yield.</li>
 *   <li>{@link IdleMode#BLOCK}: block at once: a {@code select} that dispatches what becomes ready, or the next
 *       timer tick, ending {@link #NEAR_DEADLINE_NS} before the agent's deadline.</li>
 * </ul>
 * Near a deadline (less than {@link #NEAR_DEADLINE_NS} plus select's 1 ms resolution away) both {@code BLOCK}
 * and {@code BACKOFF} spin instead of blocking, so a send is on time to the microsecond (select only has
 * millisecond resolution). An agent without deadlines (a server) never spins near one.
 *
 * <p>Time: the runner adds up the time of cycles that did work ({@link #busyNs()}: near 100% says "this thread is
 * the bottleneck", low says "it waited for its peer"), and apart from it the time it polled without blocking
 * ({@link #pollNs()}: idle cycles, spin hints and yields), the CPU the idle policy spends. The clock is read once
 * per cycle, after it; that reading is also the idle policy's "now", and a cycle that follows a busy one starts
 * from it. A yield or a block reads it again (the CPU may have been someone else's meanwhile).
 */
public final class LoopRunner {
    /** How long before an agent's deadline the runner stops blocking and spins. */
    public static final long NEAR_DEADLINE_NS = TimeUnit.MILLISECONDS.toNanos(1);
    /** Longest poll after work in {@link IdleMode#BACKOFF}; a block longer than this shrinks the budget. */
    public static final long MAX_POLL_NS = TimeUnit.MICROSECONDS.toNanos(100);
    /** Where a zero poll budget grows to after a short block. */
    public static final long POLL_GROW_START_NS = TimeUnit.MICROSECONDS.toNanos(10);
    /** Poll budget of a new runner: a quarter of the most, so a busy loop reaches it in two short blocks. */
    public static final long INITIAL_POLL_NS = MAX_POLL_NS / 4;
    /** Idle cycles of a poll that only hint a spin before the runner starts yielding. */
    public static final int SPINS_BEFORE_YIELD = 16;
    private static final long SELECT_RESOLUTION_NS = TimeUnit.MILLISECONDS.toNanos(1);

    private final EventLoop loop;
    private final NanoClock clock;
    private final IdleMode mode;
    private final AtomicLong busyNs = new AtomicLong();
    private final AtomicLong pollNs = new AtomicLong();
    /** Consecutive idle cycles since the last work or block: 0 means the next idle cycle starts an episode. */
    private int idleCycles;
    /** When the current idle episode (polling, then perhaps a block) began. */
    private long episodeStartNs;
    private long pollBudgetNs;

    /**
     * @param loop  the loop whose idle wait the runner uses (its idle mode decides the policy)
     * @param clock the loop's clock
     */
    public LoopRunner(final EventLoop loop, final NanoClock clock) {
        this.loop = loop;
        this.clock = clock;
        this.mode = loop.config().idleMode();
        this.pollBudgetNs = mode == IdleMode.BACKOFF ? INITIAL_POLL_NS : 0;
    }

    /**
     * Runs the agent's cycles on the calling thread until it stops running.
     *
     * @param agent the work
     */
    public void run(final LoopAgent agent) {
        long cycleStartNs = clock.nanoTime();
        while (agent.isRunning()) {
            int work;
            try {
                work = agent.doWork();
            } catch (final RuntimeException ex) {
                agent.onCycleError(ex);
                work = 1;
            }
            final long nowNs = clock.nanoTime();
            if (work > 0) {
                busyNs.lazySet(busyNs.get() + nowNs - cycleStartNs);
                idleCycles = 0;
                cycleStartNs = nowNs;
            } else if (agent.isRunning()) {
                pollNs.lazySet(pollNs.get() + nowNs - cycleStartNs);
                cycleStartNs = idle(agent, nowNs);
            }
        }
    }

    /**
     * Idles once after a cycle that did no work.
     *
     * @return the time the next cycle starts from: {@code nowNs} after a spin hint, a fresh reading after a wait
     */
    private long idle(final LoopAgent agent, final long nowNs) {
        if (mode == IdleMode.SPIN) {
            Thread.onSpinWait();
            return nowNs;
        }
        if (idleCycles++ == 0) {
            episodeStartNs = nowNs;
        }
        final long deadlineNs = agent.nextDeadlineNs(nowNs);
        final long blockNs = deadlineNs == Long.MAX_VALUE ? Long.MAX_VALUE : deadlineNs - nowNs - NEAR_DEADLINE_NS;
        if (blockNs < SELECT_RESOLUTION_NS) {
            // Near a deadline: spin, as before session 5. A yield here (gives way to threads sharing the CPU) went
            // with ReconnectTest's open-loop case sending 139 of 200 in a verify at load 11 (and once in session 4
            // at load 30): not understood, so not shipped (perf/RESULTS.md, session 5).
            Thread.onSpinWait();
            return nowNs;
        }
        if (nowNs - episodeStartNs < pollBudgetNs) {
            return poll(nowNs);
        }
        loop.idle(0, blockNs);
        final long wokeNs = clock.nanoTime();
        if (mode == IdleMode.BACKOFF) {
            adaptPollBudget(wokeNs - episodeStartNs);
        }
        idleCycles = 0; // whatever woke the select was handled inside it: the next idle cycle polls again
        return wokeNs;
    }

    private long poll(final long nowNs) {
        if (idleCycles <= SPINS_BEFORE_YIELD) {
            Thread.onSpinWait();
            return nowNs;
        }
        Thread.yield();
        final long afterNs = clock.nanoTime();
        pollNs.lazySet(pollNs.get() + afterNs - nowNs);
        return afterNs;
    }

    /**
     * KVM's rule: an episode (poll plus block) that ended within the most we would poll says a longer poll would
     * have caught its event, so grow; a longer one says polling is a waste here, so shrink.
     */
    private void adaptPollBudget(final long episodeNs) {
        if (episodeNs > MAX_POLL_NS) {
            pollBudgetNs = pollBudgetNs / 2 < POLL_GROW_START_NS ? 0 : pollBudgetNs / 2;
        } else if (pollBudgetNs < MAX_POLL_NS) {
            pollBudgetNs = Math.min(MAX_POLL_NS, Math.max(POLL_GROW_START_NS, pollBudgetNs * 2));
        }
    }

    /** @return time spent in cycles that did work, in ns, since the runner was made (any thread) */
    public long busyNs() {
        return busyNs.get();
    }

    /** @return time spent idle without blocking (idle cycles, spin hints, yields), in ns (any thread) */
    public long pollNs() {
        return pollNs.get();
    }

    /** @return how long the runner polls after work before it blocks, now (loop thread; tests) */
    long pollBudgetNs() {
        return pollBudgetNs;
    }
}
