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
 * <p>Idle, when a cycle did no work:
 * <ul>
 *   <li>{@link IdleMode#SPIN}: a spin-wait hint, then the next cycle.</li>
 *   <li>{@link IdleMode#BLOCK} and {@link IdleMode#BACKOFF}: within {@link #SPIN_BEFORE_DEADLINE_NS} of the
 *       agent's deadline, spin, so that the deadline is met to the microsecond ({@code select} only has
 *       millisecond resolution); otherwise the loop's own wait ({@link EventLoop#idle(int, long)}: a
 *       {@code select} that dispatches what becomes ready, or the back-off), ending that long before the
 *       deadline.</li>
 * </ul>
 * An agent without deadlines (a server) blocks until I/O, a command or the next timer tick.
 *
 * <p>Busy time: the runner adds up the time of cycles that did work, which tells "this thread is the
 * bottleneck" (near 100%) from "it waited for its peer". The clock is read once per cycle for it, after the
 * cycle; that reading is also the idle policy's "now", and a cycle that follows a busy one starts from it.
 */
public final class LoopRunner {
    /** How long before an agent's deadline the runner stops blocking and spins. */
    public static final long SPIN_BEFORE_DEADLINE_NS = TimeUnit.MILLISECONDS.toNanos(1);

    private final EventLoop loop;
    private final NanoClock clock;
    private final boolean spin;
    private final AtomicLong busyNs = new AtomicLong();

    /**
     * @param loop  the loop whose idle wait the runner uses (its idle mode decides the policy)
     * @param clock the loop's clock
     */
    public LoopRunner(final EventLoop loop, final NanoClock clock) {
        this.loop = loop;
        this.clock = clock;
        this.spin = loop.config().idleMode() == IdleMode.SPIN;
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
                loop.idle(work); // resets a back-off; blocks nothing
                cycleStartNs = nowNs;
            } else if (agent.isRunning()) {
                if (idle(agent, nowNs)) {
                    cycleStartNs = clock.nanoTime();
                } else {
                    cycleStartNs = nowNs;
                }
            }
        }
    }

    /**
     * Idles once after a cycle that did no work.
     *
     * @return whether it waited (so the time has moved on), not just hinted a spin
     */
    private boolean idle(final LoopAgent agent, final long nowNs) {
        if (spin) {
            Thread.onSpinWait();
            return false;
        }
        final long deadlineNs = agent.nextDeadlineNs(nowNs);
        if (deadlineNs == Long.MAX_VALUE) {
            loop.idle(0);
            return true;
        }
        final long untilNs = deadlineNs - nowNs;
        if (untilNs <= SPIN_BEFORE_DEADLINE_NS) {
            Thread.onSpinWait();
            return false;
        }
        loop.idle(0, untilNs - SPIN_BEFORE_DEADLINE_NS);
        return true;
    }

    /** @return time spent in cycles that did work, in ns, since the runner was made (any thread) */
    public long busyNs() {
        return busyNs.get();
    }
}
