/**
 * The {@code redis} generator protocol: commands given on the command line, encoded once as RESP arrays and
 * sent round-robin, and an incremental RESP2 reply framer that tells error replies apart.
 */
package dev.ringside.engine.protocol.redis;
