package dev.ringside.engine.loop;

/**
 * Work that a {@link LoopRunner} drives on one thread around an {@link EventLoop}: the loop itself (a server),
 * or the loop plus a caller's own steps (the load generator's connects, schedule and timeouts). The shape of
 * Agrona's {@code Agent}, plus the one thing a selector loop's idle policy needs from its agent: when it must
 * run again even if no I/O, command or loop timer wakes it.
 */
public interface LoopAgent {
    /**
     * One duty cycle.
     *
     * @return units of work done; 0 lets the runner idle
     */
    int doWork();

    /**
     * The earliest time the agent must run a cycle whatever else happens (its next send, connect or scan). The
     * loop's own timers, I/O and commands wake it anyway, so an agent without deadlines of its own answers
     * {@link Long#MAX_VALUE}.
     *
     * @param nowNs the time now, on the loop's clock
     * @return the next deadline, or {@link Long#MAX_VALUE} for none
     */
    default long nextDeadlineNs(final long nowNs) {
        return Long.MAX_VALUE;
    }

    /** @return whether the runner should run another cycle (read at every cycle; may be set by any thread) */
    boolean isRunning();

    /**
     * A cycle threw: report it and carry on (an {@link Error} is not caught and ends the runner).
     *
     * @param ex what it threw
     */
    void onCycleError(RuntimeException ex);
}
