/**
 * Benchmarks of byte rings and the slab pool.
 */
package dev.ringside.perf.buffer;
