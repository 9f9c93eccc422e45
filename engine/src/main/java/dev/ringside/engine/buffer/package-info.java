/**
 * Byte storage for connections: power-of-two rings over direct memory, leased from a bounded slab pool
 * only while a connection has bytes to keep; and the broadcast ring, one writer's records read in place by many
 * readers at positions of their own (a chat room's lines, stored once).
 */
package dev.ringside.engine.buffer;
