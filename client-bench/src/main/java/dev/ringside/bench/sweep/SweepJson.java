package dev.ringside.bench.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.ringside.bench.report.JsonSummary;

/**
 * The sweep as JSON, in bench's conventions (nested objects, latency in µs under {@code latencyUs}, rates
 * under {@code rate.{target,achieved}}): bench's header ({@code schemaVersion}, {@code command}, ...),
 * {@code description}, {@code parameters}, {@code objectives}, {@code rates} (asked for), then
 * {@code steps[]} in the order run, each with {@code rate}, {@code latencyUs}, {@code errors.total},
 * {@code generatorDutyCycle} (null when unknown), {@code met}, {@code misses}, {@code overload},
 * {@code server} ({@code cpuUsPerMessage, cpuPercent, rssBytes, threads}; null when the sweep did not start the
 * server) and the step's whole bench summary under {@code bench}; then {@code stoppedEarly}, {@code search}
 * ({@code highestRate}, {@code met}/{@code missed} target rates, {@code resolution}, {@code resolved},
 * {@code interrupted}, {@code generatorLimited}, {@code anomalies}, {@code conclusion}), {@code verdict}
 * ({@code exitCode}, {@code status}, {@code reasons}) and {@code interrupted} (the signal, or null).
 */
public final class SweepJson {
    private SweepJson() {
    }

    /**
     * @param outcome the sweep
     * @return the JSON document
     */
    public static String toJson(final SweepOutcome outcome) {
        return JsonSummary.render(tree(outcome));
    }

    /**
     * @param outcome the sweep
     * @return the JSON document as nested maps, for a document that holds several sweeps
     */
    public static Map<String, Object> tree(final SweepOutcome outcome) {
        final long startEpochMs = outcome.steps().isEmpty() || outcome.steps().get(0).result() == null ? -1
            : outcome.steps().get(0).result().info().startEpochMs();
        final Map<String, Object> root = JsonSummary.header(outcome.argv(), startEpochMs);
        root.put("description", outcome.description());
        root.put("parameters", outcome.parameters());
        root.put("objectives", outcome.objectives());
        root.put("rates", outcome.rates());
        final List<Object> steps = new ArrayList<>();
        for (final SweepStep step : outcome.steps()) {
            steps.add(step(step));
        }
        root.put("steps", steps);
        root.put("stoppedEarly", outcome.stoppedEarly());
        final SearchResult search = outcome.search();
        if (search != null) {
            final List<Double> anomalies = new ArrayList<>();
            for (final SweepStep step : search.anomalies()) {
                anomalies.add(step.targetRate());
            }
            root.put("search", JsonSummary.map("highestRate", search.highestRate(),
                "met", search.met() == null ? null : search.met().targetRate(),
                "missed", search.missed() == null ? null : search.missed().targetRate(),
                "resolution", search.resolution(), "resolved", search.resolved(), "interrupted", search.interrupted(),
                "generatorLimited", search.generatorLimited(), "anomalies", anomalies,
                "conclusion", search.conclusion()));
        }
        root.put("verdict", JsonSummary.map("exitCode", outcome.exitStatus(), "status", outcome.status(),
            "reasons", outcome.reason().isEmpty() ? List.of() : List.of(outcome.reason())));
        root.put("interrupted", outcome.interruptedBy());
        return root;
    }

    private static Map<String, Object> step(final SweepStep step) {
        final Map<String, Object> map = new LinkedHashMap<>();
        map.put("rate", JsonSummary.map("target", step.targetRate(), "achieved", step.achievedRate()));
        map.put("latencyUs", step.latencyUs());
        map.put("errors", JsonSummary.map("total", step.errors()));
        map.put("generatorDutyCycle", step.generatorDutyCycle());
        map.put("met", step.met());
        map.put("misses", step.misses());
        map.put("overload", step.overload());
        final ServerCost cost = step.server();
        map.put("server", cost == null ? null : JsonSummary.map("cpuUsPerMessage", cost.cpuUsPerMessage(),
            "cpuPercent", cost.cpuPercent(), "rssBytes", cost.rssBytes() < 0 ? null : cost.rssBytes(),
            "threads", cost.threads() < 0 ? null : cost.threads()));
        map.put("bench", step.result() == null ? null : JsonSummary.tree(step.result(), step.benchVerdict()));
        return map;
    }
}
