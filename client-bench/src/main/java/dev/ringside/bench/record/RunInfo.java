package dev.ringside.bench.record;

import java.util.Map;

/**
 * What was run, for the head of every report.
 *
 * @param command      the command that made the result ({@code bench}, {@code merge}), shown as
 *                     {@code ringside COMMAND:} in the summary
 * @param description  one line saying what was run
 * @param display      the settings as label and display text, in the order the summary shows them
 * @param parameters   the settings as camelCase keys and JSON values (numbers stay numbers)
 * @param startEpochMs when the run (or the earliest merged log) started, ms since the epoch; -1 when unknown
 */
public record RunInfo(String command, String description, Map<String, String> display,
    Map<String, Object> parameters, long startEpochMs) {
}
