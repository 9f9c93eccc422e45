/**
 * Benchmarks of the protocol decoders: the real sessions fed from a ring, replying into a recording outbound.
 */
package dev.ringside.perf.protocol;
