package dev.ringside.engine.protocol;

/**
 * Periodic work a protocol needs done off the request path, such as refreshing HTTP's cached {@code Date}.
 * Sessions do no I/O and have no timers, so whoever hosts the protocol runs this: the selector server
 * schedules it on its first loop's timer wheel; a blocking server model may use any timer thread. It must
 * be safe to call from a thread other than the sessions' threads.
 */
public interface ProtocolTimer {
    /**
     * Does the periodic work.
     *
     * @param epochMillis wall-clock time now
     * @return milliseconds until the next call is wanted, at least 1
     */
    long onTick(long epochMillis);
}
