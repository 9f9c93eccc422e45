package dev.ringside.engine.loop;

/**
 * Output queued by someone other than its owner (a chat broadcast writing to other members) that the loop
 * should send at the end of the cycle, once per cycle however many writes were queued.
 */
@FunctionalInterface
public interface DeferredFlush {
    /**
     * Sends what was queued.
     *
     * @return work done (bytes written or 1), for the duty cycle's work count
     */
    int onDeferredFlush();
}
