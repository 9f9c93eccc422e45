package dev.ringside.engine.config;

/**
 * What an event loop does when a duty cycle found no work.
 */
public enum IdleMode {
    /** Block in {@code select} until I/O, a command, or the next timer tick: low CPU, a wake-up per event. */
    BLOCK,
    /** Poll with {@code selectNow} without pause: lowest latency, one core at 100%. */
    SPIN,
    /** Spin, then yield, then park for growing periods: a middle ground. */
    BACKOFF
}
