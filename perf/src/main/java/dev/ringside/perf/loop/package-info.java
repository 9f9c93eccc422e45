/**
 * Benchmarks of the event loop: timer wheel, one selector pass over ready connections, echo round trips.
 */
package dev.ringside.perf.loop;
