/**
 * What every command shares about its command line: the error policy (one line, a non-zero exit, no stack
 * trace), the protocol options generated from the registry, and the options several commands declare once as
 * picocli mixins (load window, server model sizes, protocol, idle mode, JSON and report files, objectives,
 * progress), each command's wording of them in {@code OptionHelp.properties}. Depends on the engine and
 * {@code process} only, so every command package may use it.
 */
package dev.ringside.bench.command;
