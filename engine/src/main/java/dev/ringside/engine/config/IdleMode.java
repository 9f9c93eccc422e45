package dev.ringside.engine.config;

/**
 * What an event loop does when a duty cycle found no work (the policy itself is {@code loop.LoopRunner}'s).
 */
public enum IdleMode {
    /**
     * Block in {@code select} at once until I/O, a command, or the next timer tick: the least CPU, and a
     * wake-up (a sleep and a reschedule, ~20 µs across CPUs on a small VM) per event. The server's default.
     */
    BLOCK,
    /** Poll with {@code selectNow} without pause and never block: lowest latency, one core at 100%. */
    SPIN,
    /**
     * Poll for a short, adaptive while after work (spin, then yield the CPU to any other runnable thread),
     * then block in {@code select} as {@link #BLOCK} does: a reply that comes within the poll is handled
     * without a wake-up, a quiet loop sleeps. The load generator's default.
     */
    BACKOFF
}
