/**
 * One run spread over several generator processes ({@code bench --processes N}): the plan that splits
 * connections, rate and source addresses between them, the child processes started on one shared
 * {@code --start-at} instant, one progress line read from their interval logs while they run, and one result
 * merged from those logs, exactly as {@code ringside merge} merges the logs of generators on several hosts.
 */
package dev.ringside.bench.fleet;
