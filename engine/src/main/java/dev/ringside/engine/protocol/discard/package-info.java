/**
 * {@code discard}: the sink server (optionally printing each line) and its registry entry
 * ({@link dev.ringside.engine.protocol.discard.Discard}); server only, since it never replies.
 */
package dev.ringside.engine.protocol.discard;
