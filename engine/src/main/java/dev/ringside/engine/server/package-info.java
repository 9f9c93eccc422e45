/**
 * The server process as a library: assembles event loops (or a blocking model, or worker processes), their
 * listeners and their counters file from {@link dev.ringside.engine.server.ServerSettings}. The command lines
 * that fill those settings ({@code ringside server}, {@code ringside stat}) live in client-bench, so the engine
 * does not depend on a command-line parser.
 */
package dev.ringside.engine.server;
