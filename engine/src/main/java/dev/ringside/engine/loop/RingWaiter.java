package dev.ringside.engine.loop;

/**
 * Something that stopped reading because the ring pool was exhausted and waits for a ring to be returned.
 */
@FunctionalInterface
public interface RingWaiter {
    /** Called on the loop thread when a ring was returned to the pool; it may lease it. */
    void onRingAvailable();
}
