/**
 * What a command does as a process around its run: signals that cut a run short without losing it, output
 * paths checked before anything runs, and failures that carry their own exit status.
 */
package dev.ringside.bench.process;
