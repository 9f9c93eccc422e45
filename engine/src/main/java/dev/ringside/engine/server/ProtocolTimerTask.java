package dev.ringside.engine.server;

import dev.ringside.engine.loop.EventLoop;
import dev.ringside.engine.loop.TimerListener;
import dev.ringside.engine.protocol.ProtocolTimer;
import org.agrona.concurrent.EpochClock;

/**
 * Runs a protocol's periodic work ({@link ProtocolTimer}) on an event loop's timer wheel, re-arming itself
 * after each run for the delay the work asks for. Lives on one loop; the work itself must tolerate being
 * read from the other loops' threads (HTTP's date clock publishes through a volatile).
 */
public final class ProtocolTimerTask implements TimerListener {
    private static final long NANOS_PER_MILLI = 1_000_000;

    private final EventLoop loop;
    private final ProtocolTimer timer;
    private final EpochClock wallClock;
    private long timerId;

    private ProtocolTimerTask(final EventLoop loop, final ProtocolTimer timer, final EpochClock wallClock) {
        this.loop = loop;
        this.timer = timer;
        this.wallClock = wallClock;
    }

    /**
     * Runs the work once now and then whenever it asks (call on the loop thread, or before the loop runs).
     *
     * @param loop      the loop whose timer wheel drives it
     * @param timer     the work
     * @param wallClock wall-clock time passed to the work
     * @return the task
     */
    public static ProtocolTimerTask start(final EventLoop loop, final ProtocolTimer timer, final EpochClock wallClock) {
        final ProtocolTimerTask task = new ProtocolTimerTask(loop, timer, wallClock);
        task.run(loop.nowNs());
        return task;
    }

    @Override
    public void onTimerExpiry(final long nowNs, final long expiredTimerId) {
        if (expiredTimerId == timerId) {
            run(nowNs);
        }
    }

    private void run(final long nowNs) {
        final long delayMs = Math.max(1, timer.onTick(wallClock.time()));
        timerId = loop.scheduleTimer(nowNs + delayMs * NANOS_PER_MILLI, this);
    }
}
