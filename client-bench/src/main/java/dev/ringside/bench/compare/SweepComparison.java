package dev.ringside.bench.compare;

import java.util.List;
import java.util.Map;

/**
 * A whole {@code compare --sweep}: how it was run and every model × connection count's sweep.
 *
 * @param argv       the command line
 * @param parameters the settings, as label/value pairs
 * @param objectives the objectives, one line ({@code none} for plain sweeps)
 * @param cells      every cell, model-major
 * @param logs       the directory holding each server's output
 * @param interruptedBy the signal that stopped the comparison; {@code null} when none did
 */
public record SweepComparison(List<String> argv, Map<String, String> parameters, String objectives,
    List<SweepCell> cells, String logs, String interruptedBy) {
}
