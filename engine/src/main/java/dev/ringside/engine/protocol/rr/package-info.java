/**
 * {@code rr}: netperf-style request/response frames (4-byte length + payload), server session and datagram
 * handler, client codec, and the registry entry ({@link dev.ringside.engine.protocol.rr.Rr}).
 */
package dev.ringside.engine.protocol.rr;
