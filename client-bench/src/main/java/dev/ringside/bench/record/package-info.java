/**
 * What a run measured: per-thread latency recorders (HdrHistogram {@code SingleWriterRecorder}s, corrected
 * and uncorrected), single-writer counters and error kinds, interval snapshots, the {@code .hlog} interval
 * log and its merge, and the final result that reports are made from.
 */
package dev.ringside.bench.record;
