package dev.ringside.engine.loop;

/**
 * Receives expiry of a timer scheduled with {@link EventLoop#scheduleTimer}.
 */
@FunctionalInterface
public interface TimerListener {
    /**
     * Called on the loop thread when the timer's deadline has passed.
     *
     * @param nowNs   the loop's time for this cycle
     * @param timerId the id {@link EventLoop#scheduleTimer} returned
     */
    void onTimerExpiry(long nowNs, long timerId);
}
