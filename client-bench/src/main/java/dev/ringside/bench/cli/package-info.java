/**
 * The {@code ringside} command line: the top-level command and its subcommands.
 */
package dev.ringside.bench.cli;
