package dev.ringside.bench.report;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import dev.ringside.bench.record.BenchResult;
import dev.ringside.bench.record.ErrorKind;

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
        return render(tree(result));
    }

    /**
     * @param result a run
     * @return its JSON summary as nested maps, for a document that holds several runs (a sweep's steps)
     */
    public static Map<String, Object> tree(final BenchResult result) {
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
        return root;
    }

    /**
     * Writes nested maps, lists, numbers, booleans and strings as pretty-printed JSON; a NaN or infinite
     * double is {@code null}. Other reports (the comparison) use it too, so every JSON file looks alike.
     *
     * @param root the document
     * @return the JSON, ending with a newline
     */
    public static String render(final Map<String, ?> root) {
        final StringBuilder json = new StringBuilder(2048);
        write(json, root, 0);
        return json.append('\n').toString();
    }

    /**
     * @param pairs key, value, key, value, ...
     * @return them as an ordered map
     */
    public static Map<String, Object> map(final Object... pairs) {
        final Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    private static void write(final StringBuilder json, final Object value, final int indent) {
        if (value instanceof Map) {
            final Map<?, ?> map = (Map<?, ?>) value;
            json.append('{');
            boolean first = true;
            for (final Map.Entry<?, ?> entry : map.entrySet()) {
                json.append(first ? "\n" : ",\n");
                first = false;
                pad(json, indent + 2);
                string(json, String.valueOf(entry.getKey()));
                json.append(": ");
                write(json, entry.getValue(), indent + 2);
            }
            if (!first) {
                json.append('\n');
                pad(json, indent);
            }
            json.append('}');
        } else if (value instanceof Iterable) {
            json.append('[');
            boolean first = true;
            for (final Object item : (Iterable<?>) value) {
                json.append(first ? "" : ", ");
                first = false;
                write(json, item, indent + 2);
            }
            json.append(']');
        } else if (value instanceof Double || value instanceof Float) {
            final double number = ((Number) value).doubleValue();
            if (Double.isNaN(number) || Double.isInfinite(number)) {
                json.append("null");
            } else if (number == Math.rint(number) && Math.abs(number) < 1e15) {
                json.append((long) number);
            } else {
                json.append(String.format(Locale.ROOT, "%.3f", number));
            }
        } else if (value instanceof Number || value instanceof Boolean) {
            json.append(value);
        } else if (value == null) {
            json.append("null");
        } else {
            string(json, value.toString());
        }
    }

    private static void pad(final StringBuilder json, final int indent) {
        for (int i = 0; i < indent; i++) {
            json.append(' ');
        }
    }

    private static void string(final StringBuilder json, final String text) {
        json.append('"');
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            switch (c) {
                case '"':
                    json.append("\\\"");
                    break;
                case '\\':
                    json.append("\\\\");
                    break;
                case '\n':
                    json.append("\\n");
                    break;
                case '\t':
                    json.append("\\t");
                    break;
                default:
                    if (c < 0x20) {
                        json.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                    break;
            }
        }
        json.append('"');
    }
}
