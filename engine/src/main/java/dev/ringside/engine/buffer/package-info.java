/**
 * Byte storage for connections: power-of-two rings over direct memory, leased from a bounded slab pool
 * only while a connection has bytes to keep.
 */
package dev.ringside.engine.buffer;
