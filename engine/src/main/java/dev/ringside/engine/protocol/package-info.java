/**
 * Transport-agnostic protocol sessions: they see inbound bytes in a ring and write output to an
 * {@link dev.ringside.engine.protocol.Outbound}, and do no I/O, so the same code runs on the selector loop
 * and on every blocking server model.
 */
package dev.ringside.engine.protocol;
