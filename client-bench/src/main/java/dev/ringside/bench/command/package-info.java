/**
 * What every command shares about its command line: the error policy (one line, a non-zero exit, no stack
 * trace) and the protocol options generated from the registry. Depends on the engine only, so every command
 * package may use it.
 */
package dev.ringside.bench.command;
