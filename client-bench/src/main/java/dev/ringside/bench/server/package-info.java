/**
 * The {@code server} and {@code stat} commands: picocli front ends of the engine's server
 * ({@code dev.ringside.engine.server}), and {@link dev.ringside.bench.server.ServerMain}, the entry point of the
 * process model's and the prefork server's worker processes.
 */
package dev.ringside.bench.server;
