/**
 * {@code chat}: line broadcast to one room (server session, room, slow-consumer policy), the client codec whose
 * lines carry their own send times, and the registry entry ({@link dev.ringside.engine.protocol.chat.Chat}).
 */
package dev.ringside.engine.protocol.chat;
