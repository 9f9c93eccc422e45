/**
 * The event loop: one thread that owns a selector, its endpoints, their rings, a timer wheel and counters,
 * and runs the duty cycle (commands, selector, timers, deferred flushes, idle).
 */
package dev.ringside.engine.loop;
