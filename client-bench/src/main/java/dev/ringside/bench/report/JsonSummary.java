package dev.ringside.bench.report;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.ringside.bench.record.BenchResult;
import dev.ringside.bench.record.ErrorKind;
import dev.ringside.engine.text.JsonWriter;

/**
 * The JSON summary. Dotted names in the documentation are nested objects here, so that
 * {@code jq .latencyUs.p99} works: {@code connections.{requested,established}}, {@code rate.{target,achieved}},
 * {@code requests.{sent,completed}}, {@code errors.{total, one key per kind}},
 * {@code latencyUs.{p50,p90,p99,p999,p9999,max,mean}}, {@code uncorrectedLatencyUs.{same}}, {@code durationS},
 * plus {@code udp}, {@code chat}, {@code closedLoop}, {@code warnings}, {@code parameters}. Latency is in
 * microseconds.
 */
public final class JsonSummary {
    private JsonSummary() {
    }

    /**
     * @param result a run
     * @return its JSON summary, pretty-printed, ending with a newline
     */
    public static String toJson(final BenchResult result) {
        final Map<String, Object> root = new LinkedHashMap<>();
        root.put("description", result.description());
        root.put("connections", map("requested", result.connectionsRequested(), "established",
            result.connectionsEstablished()));
        root.put("rate", map("target", result.targetRate(), "achieved", result.achievedRate()));
        root.put("requests", map("sent", result.sent(), "completed", result.completed()));
        final Map<String, Object> errors = new LinkedHashMap<>();
        errors.put("total", result.errorTotal());
        for (final ErrorKind kind : ErrorKind.values()) {
            errors.put(kind.key(), result.errorCount(kind));
        }
        root.put("errors", errors);
        root.put("latencyUs", Percentiles.micros(result.corrected()));
        root.put("uncorrectedLatencyUs", Percentiles.micros(result.uncorrected()));
        root.put("samples", result.corrected().getTotalCount());
        root.put("durationS", result.durationS());
        root.put("closedLoop", result.closedLoop());
        root.put("udp", map("reordered", result.udpReordered(), "late", result.udpLate()));
        if (result.deliveriesExpected() >= 0) {
            root.put("chat", map("linesPublished", result.sent(), "deliveriesExpected", result.deliveriesExpected(),
                "deliveriesReceived", result.completed(), "outOfOrder", result.chatOutOfOrder()));
        }
        root.put("parameters", result.parameters());
        root.put("warnings", result.warnings());
        return JsonWriter.render(root);
    }

    private static Map<String, Object> map(final Object... pairs) {
        final Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }
}
