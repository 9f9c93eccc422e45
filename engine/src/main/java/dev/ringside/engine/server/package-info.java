/**
 * The server process: assembles an event loop, its listeners and its counters file from command-line
 * options, and the {@code server} and {@code stat} commands.
 */
package dev.ringside.engine.server;
