/**
 * {@code echo}: the server session that sends every byte back, its client codec that verifies every echoed
 * byte, and its registry entry ({@link dev.ringside.engine.protocol.echo.Echo}).
 */
package dev.ringside.engine.protocol.echo;
