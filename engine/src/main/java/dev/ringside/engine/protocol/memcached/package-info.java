/**
 * The {@code memcached} generator protocol (text protocol): {@code get} and {@code set} commands given on the
 * command line, encoded once and sent round-robin, and an incremental reply framer for
 * {@code VALUE … END}, {@code STORED} and the error lines.
 */
package dev.ringside.engine.protocol.memcached;
