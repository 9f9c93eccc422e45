package dev.ringside.bench.compare;

import java.util.List;
import java.util.Map;

/**
 * A whole comparison: how it was run and every cell, in model-major order.
 *
 * @param argv           the command line that made it, {@code ringside} first
 * @param startEpochMs   when it started, ms since the epoch
 * @param parameters     the settings, as label/value pairs
 * @param jsonParameters the settings as camelCase keys and JSON values
 * @param machine        CPUs, OS and JVM of the machine, camelCase keys
 * @param cells          every model × connection count that finished
 * @param logs           the directory holding each server's output
 * @param interruptedBy  the signal that stopped it early ({@code SIGINT}, {@code SIGTERM}), or {@code null}
 */
public record Comparison(List<String> argv, long startEpochMs, Map<String, String> parameters,
    Map<String, Object> jsonParameters, Map<String, Object> machine, List<CompareCell> cells, String logs,
    String interruptedBy) {

    /** @return the command line as one shell-quoted string */
    public String command() {
        final StringBuilder line = new StringBuilder();
        for (final String arg : argv) {
            line.append(line.length() == 0 ? "" : " ").append(arg.isEmpty() || arg.contains(" ") ? "'" + arg + "'"
                : arg);
        }
        return line.toString();
    }
}
