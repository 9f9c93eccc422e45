/**
 * The {@code raw} generator protocol: any request/response server driven by a fixed message and a reply
 * marker (tcpkali's model), and the pieces the named text protocols ({@code redis}, {@code memcached}) share
 * with it: C-escaped message text, command words, pre-encoded requests sent round-robin, and incremental
 * reply framers that consume a reply stream without allocating.
 */
package dev.ringside.engine.protocol.raw;
