/**
 * The load generator's engine side: one {@link dev.ringside.bench.driver.LoadDriver} per thread owns an
 * event loop, its client connections or UDP sockets, their wire codecs, the open-loop schedule and the
 * thread's recorders; {@link dev.ringside.bench.driver.BenchRunner} runs the phases (ramp, warm-up,
 * measurement, drain) and collects a result.
 */
package dev.ringside.bench.driver;
