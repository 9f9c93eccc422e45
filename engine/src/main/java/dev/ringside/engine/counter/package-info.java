/**
 * Live engine counters in an Agrona {@code CountersManager}, over a memory-mapped file so another process
 * ({@code ringside stat}) can read them while the server runs.
 */
package dev.ringside.engine.counter;
