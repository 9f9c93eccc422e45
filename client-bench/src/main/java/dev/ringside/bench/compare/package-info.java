/**
 * {@code ringside compare}: each server model started as a child process and driven by the same load, with
 * the server's cost (CPU per message, peak memory, threads) read from {@code /proc}; the results as a table,
 * JSON and an HTML report. Also the child-process and CPU-pinning pieces the demo shares.
 */
package dev.ringside.bench.compare;
