package dev.ringside.bench.compare;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.ringside.bench.record.BenchResult;
import dev.ringside.bench.record.ErrorKind;
import dev.ringside.bench.report.JsonSummary;
import dev.ringside.bench.verdict.ExitStatus;
import dev.ringside.engine.text.JsonWriter;

/**
 * The comparison as JSON, written by the same writer as the bench summary and with the same head
 * ({@code schemaVersion, ringsideVersion, command} as argv, {@code startTime} ISO-8601 UTC), numeric
 * camelCase {@code parameters} and {@code machine}, a {@code verdict} and {@code interrupted}. Each cell has
 * {@code model}, {@code connections.{requested,established}}, {@code outcome}, {@code note},
 * {@code rate.{target,achieved}}, {@code requests.{sent,completed,failed,inFlightAtEnd}},
 * {@code latencyUs.{p50,p99,p999,max}} (corrected),
 * {@code errors.{total, one key per kind}}, {@code server.{pid,cpuUsPerMessage,cpuPercent,
 * contextSwitchesPerMessage,peakRssBytes,maxThreads,processes}} and {@code warnings}. A value a cell does not
 * have is {@code null}.
 */
public final class CompareJson {
    private CompareJson() {
    }

    /**
     * @param comparison the results
     * @return the JSON document
     */
    public static String toJson(final Comparison comparison) {
        final Map<String, Object> root = JsonSummary.header(comparison.argv(), comparison.startEpochMs());
        root.put("parameters", comparison.jsonParameters());
        final String signal = comparison.interruptedBy();
        final int status = signal == null ? ExitStatus.CLEAN : ExitStatus.forSignal(signal);
        root.put("verdict", JsonSummary.map("exitCode", status,
            "status", signal == null ? "COMPLETE" : "INTERRUPTED", "reasons", signal == null ? List.of()
                : List.of("interrupted by " + signal + " after " + comparison.cells().size() + " cells"), "slos",
            List.of()));
        root.put("interrupted", signal);
        root.put("machine", comparison.machine());
        root.put("logs", comparison.logs());
        final List<Object> cells = new ArrayList<>();
        for (final CompareCell cell : comparison.cells()) {
            cells.add(cell(cell));
        }
        root.put("cells", cells);
        return JsonWriter.render(root);
    }

    private static Map<String, Object> cell(final CompareCell cell) {
        final BenchResult result = cell.result();
        final Map<String, Object> map = new LinkedHashMap<>();
        map.put("model", cell.model().label());
        map.put("connections", pairs("requested", cell.connections(), "established",
            result == null ? null : result.connectionsEstablished()));
        map.put("outcome", cell.outcome().label());
        map.put("note", cell.note());
        map.put("rate", pairs("target", result == null ? null : result.targetRate(), "achieved",
            result == null ? null : result.achievedRate()));
        map.put("requests", pairs("sent", result == null ? null : result.sent(), "completed",
            result == null ? null : result.completed(), "failed", result == null ? null : result.requestErrors(),
            "inFlightAtEnd", result == null ? null : result.inFlightAtEnd()));
        map.put("latencyUs", pairs("p50", cell.latencyUs(50), "p99", cell.latencyUs(99), "p999", cell.latencyUs(99.9),
            "max", cell.latencyUs(100)));
        final Map<String, Object> errors = new LinkedHashMap<>();
        errors.put("total", result == null ? null : result.errorTotal());
        for (final ErrorKind kind : ErrorKind.values()) {
            errors.put(kind.key(), result == null ? null : result.errorCount(kind));
        }
        map.put("errors", errors);
        map.put("server", pairs("pid", positive(cell.serverPid()), "cpuUsPerMessage", cell.cpuUsPerReply(),
            "cpuPercent", cell.cpuPercent(), "contextSwitchesPerMessage", cell.switchesPerReply(),
            "peakRssBytes", positive(cell.peakRssBytes()),
            "maxThreads", positive(cell.maxThreads()), "processes", positive(cell.processes())));
        map.put("warnings", result == null ? List.of() : result.warnings());
        return map;
    }

    private static Long positive(final long value) {
        return value < 0 ? null : value;
    }

    private static Map<String, Object> pairs(final Object... pairs) {
        final Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }
}
