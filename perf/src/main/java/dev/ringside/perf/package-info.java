/**
 * JMH benchmarks of the engine's components; packages mirror the engine's.
 */
package dev.ringside.perf;
