/**
 * {@code ringside sweep}: bench at a series of open-loop rates against one target, the latency-vs-throughput
 * curve, and the search for the highest rate that meets every service-level objective (bracket, then
 * bisect). The search maths ({@link dev.ringside.bench.sweep.SloSearch}) sees steps only through
 * {@link dev.ringside.bench.sweep.StepRunner}, so it is tested with a fake runner.
 */
package dev.ringside.bench.sweep;
