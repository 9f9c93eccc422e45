package dev.ringside.bench.compare;

import java.util.List;
import java.util.Map;

/**
 * A whole comparison: how it was run and every cell, in model-major order.
 *
 * @param command    the command line that made it
 * @param parameters the settings, as label/value pairs
 * @param machine    CPUs, OS and JVM of the machine, as label/value pairs
 * @param cells      every model × connection count
 * @param logs       the directory holding each server's output
 */
public record Comparison(String command, Map<String, String> parameters, Map<String, String> machine,
    List<CompareCell> cells, String logs) {
}
