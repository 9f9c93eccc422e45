package dev.ringside.bench.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.ringside.bench.record.BenchResult;
import dev.ringside.bench.record.ConnectionChurn;
import dev.ringside.bench.record.ErrorKind;
import dev.ringside.bench.record.GeneratorHealth;
import dev.ringside.bench.verdict.Slo;
import dev.ringside.bench.verdict.Verdict;
import dev.ringside.engine.text.JsonWriter;

/**
 * The JSON summary, schema {@value RingsideVersion#SCHEMA_VERSION} (documented key by key, with an example, in
 * {@code docs/bench.md}). Every key is always present ({@code null} when it does not apply), numbers are
 * numbers, keys are camelCase with their unit in the name, latency is in microseconds:
 * {@code schemaVersion, ringsideVersion, command (argv), startTime (ISO-8601 UTC), description, parameters,
 * verdict.{exitCode,status,reasons,slos}, connections.{requested,established,reconnects,opened,openedPerS},
 * rate.{target,achieved}, requests.{sent,completed,failed,inFlightAtEnd,lateReplies}, errors.{total, one key
 * per kind}, latencyUs.{p50,...,mean}, uncorrectedLatencyUs, connectLatencyUs, connectSamples, samples,
 * durationS, closedLoop, generator, interrupted, udp, chat, sources, warnings}. {@code ringside merge} writes
 * the same document.
 */
public final class JsonSummary {
    private JsonSummary() {
    }

    /**
     * @param result  a run
     * @param verdict its verdict
     * @param command the command line, argv including {@code ringside}
     * @return its JSON summary, pretty-printed, ending with a newline
     */
    public static String toJson(final BenchResult result, final Verdict verdict, final List<String> command) {
        final Map<String, Object> root = header(command, result.info().startEpochMs());
        root.putAll(tree(result, verdict));
        return render(root);
    }

    /**
     * @param result  a run
     * @param verdict its verdict
     * @return its JSON summary without the document header, as nested maps, for a document that holds
     *         several runs (a sweep's steps)
     */
    public static Map<String, Object> tree(final BenchResult result, final Verdict verdict) {
        final Map<String, Object> root = new LinkedHashMap<>();
        root.put("description", result.description());
        root.put("parameters", result.info().parameters());
        root.put("verdict", verdict(verdict));
        final boolean known = result.sent() >= 0;
        final ConnectionChurn churn = result.churn();
        root.put("connections", map("requested", known(result.connectionsRequested()), "established",
            known(result.connectionsRequested() < 0 ? -1 : result.connectionsEstablished()),
            "reconnects", known(churn.reconnects()), "opened", known(churn.opened()),
            "openedPerS", churn.opened() < 0 ? null : churn.openedPerSecond(result.durationS())));
        root.put("rate", map("target", result.targetRate(), "achieved", result.achievedRate()));
        root.put("requests", map("sent", known(result.sent()), "completed", result.completed(),
            "failed", known ? result.requestErrors() : null, "inFlightAtEnd", known(result.inFlightAtEnd()),
            "lateReplies", known(result.lateReplies())));
        final Map<String, Object> errors = new LinkedHashMap<>();
        errors.put("total", known ? result.errorTotal() : null);
        for (final ErrorKind kind : ErrorKind.values()) {
            errors.put(kind.key(), known ? result.errorCount(kind) : null);
        }
        root.put("errors", errors);
        root.put("latencyUs", Percentiles.micros(result.corrected()));
        root.put("uncorrectedLatencyUs", Percentiles.micros(result.uncorrected()));
        root.put("connectLatencyUs", Percentiles.micros(churn.connectLatency()));
        root.put("connectSamples", churn.connectLatency().getTotalCount());
        root.put("samples", result.corrected().getTotalCount());
        root.put("durationS", result.durationS());
        root.put("closedLoop", result.closedLoop());
        final GeneratorHealth health = result.generator();
        root.put("generator", map("dutyCycle", health.dutyCycles().isEmpty() ? null : health.maxDutyCycle(),
            "dutyCyclePerThread", health.dutyCycles(), "internalErrors", health.internalErrors(),
            "failure", health.failure()));
        root.put("interrupted", health.interruptedBy());
        root.put("udp", map("reordered", known(result.udpReordered())));
        root.put("chat", result.chat() ? map("linesPublished", result.sent(), "deliveriesExpected",
            result.deliveriesExpected(), "deliveriesReceived", result.completed(), "outOfOrder",
            result.chatOutOfOrder()) : null);
        root.put("sources", result.sources().isEmpty() ? map("requests", "counters", "errors", "counters",
            "connections", "counters", "rate", "counters", "latency", "histograms") : result.sources());
        if (!result.statusClasses().isEmpty()) {
            root.put("statusClasses", new java.util.TreeMap<>(result.statusClasses()));
        }
        root.put("warnings", result.warnings());
        return root;
    }

    /**
     * The keys every Ringside JSON document starts with.
     *
     * @param command      argv including {@code ringside}
     * @param startEpochMs when the run started; -1 when unknown
     * @return a new ordered map holding them
     */
    public static Map<String, Object> header(final List<String> command, final long startEpochMs) {
        final Map<String, Object> root = new LinkedHashMap<>();
        root.put("schemaVersion", RingsideVersion.SCHEMA_VERSION);
        root.put("ringsideVersion", RingsideVersion.VERSION);
        root.put("command", command);
        root.put("startTime", startEpochMs < 0 ? null : Instant.ofEpochMilli(startEpochMs).toString());
        return root;
    }

    /**
     * @param verdict a verdict
     * @return it as a JSON object
     */
    public static Map<String, Object> verdict(final Verdict verdict) {
        final List<Object> slos = new ArrayList<>();
        for (final Slo.Check check : verdict.checks()) {
            slos.add(map("objective", check.slo().text(), "met", check.met(), "measured", check.measured()));
        }
        return map("exitCode", verdict.exitCode(), "status", verdict.status(), "reasons", verdict.reasons(),
            "slos", slos);
    }

    private static Long known(final long value) {
        return value < 0 ? null : value;
    }

    /**
     * Writes nested maps, lists, numbers, booleans and strings as pretty-printed JSON; a NaN or infinite
     * double is {@code null}. Other reports (the comparison) use it too, so every JSON file looks alike.
     *
     * @param root the document
     * @return the JSON, ending with a newline
     */
    public static String render(final Map<String, ?> root) {
        return JsonWriter.render(root);
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
}
