package dev.ringside.bench.fleet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import dev.ringside.bench.driver.BenchSettings;
import dev.ringside.bench.record.BenchResult;
import dev.ringside.bench.record.ConnectionChurn;
import dev.ringside.bench.record.ErrorKind;
import dev.ringside.bench.record.GeneratorHealth;
import dev.ringside.bench.record.MergedLogs;
import dev.ringside.bench.record.RunInfo;

/**
 * The result of a run spread over generator processes, made from their interval logs exactly as
 * {@code ringside merge} makes one from logs of several hosts: latency from the union of their histograms,
 * counts from the sum of the totals each wrote at its end. What was asked for (connections, rate) is the
 * parent's; what a child that wrote no totals did is not guessed (it failed the run, which says so).
 */
public final class FleetResult {
    /** Prefix of the per-status-class totals in an interval log's closing comment. */
    public static final String STATUS_PREFIX = "status.";

    private FleetResult() {
    }

    /**
     * @param settings      the whole run
     * @param shares        how it was split
     * @param merged        the children's interval logs, merged
     * @param startEpochMs  the shared start instant
     * @param failures      why children failed the run (empty when none did)
     * @param interruptedBy the signal that cut the run short, or {@code null}
     * @param lateStarts    children that started after the shared instant, and by how much
     * @return the result the reports are made from
     */
    public static BenchResult of(final BenchSettings settings, final List<FleetPlan.Share> shares,
        final MergedLogs merged, final long startEpochMs, final List<String> failures, final String interruptedBy,
        final List<String> lateStarts) {
        final Map<ErrorKind, Long> errors = new LinkedHashMap<>();
        for (final ErrorKind kind : ErrorKind.values()) {
            errors.put(kind, sum(merged, "errors." + kind.key()));
        }
        final long established = sum(merged, "connections.established");
        final long sent = sum(merged, "requests.sent");
        final long completed = sum(merged, "requests.completed");
        final long inFlight = sum(merged, "requests.inFlightAtEnd");
        final Double loggedDuration = merged.maximum("durationS");
        final double durationS = loggedDuration == null ? 0 : loggedDuration;
        final Double loggedRate = merged.total("rate.achieved");
        final double achieved = loggedRate == null ? 0 : loggedRate;
        final double target = settings.closedLoop() ? 0 : settings.rate();
        final List<Double> duty = new ArrayList<>();
        long internalErrors = 0;
        for (final Map<String, Double> own : merged.fileTotals()) {
            final Double busiest = own.get("generator.maxDutyCycle");
            if (busiest != null) {
                duty.add(busiest);
            }
            final Double internal = own.get("generator.internalErrors");
            internalErrors += internal == null ? 0 : Math.round(internal);
        }
        final String failure = failures.isEmpty() ? null : String.join("; ", failures);
        final GeneratorHealth health = new GeneratorHealth(duty, internalErrors, failure, interruptedBy);
        final List<String> warnings = new ArrayList<>();
        if (failure != null) {
            warnings.add("the generator failed (" + failure + "): its figures stop where it did");
        }
        if (!merged.allFilesHaveTotals()) {
            warnings.add((shares.size() - countWithTotals(merged)) + " of " + shares.size() + " generator processes "
                + "wrote no totals: their latency samples are in the histograms, their counts are missing");
        }
        for (final String late : lateStarts) {
            warnings.add(late + ": the measurement windows overlap less (a slow JVM start; give --start-at "
                + "further ahead)");
        }
        if (interruptedBy != null) {
            warnings.add(String.format(Locale.ROOT, "interrupted by %s: measured %.1f of %.1f s", interruptedBy,
                durationS, settings.durationNs() / 1e9));
        }
        if (established < settings.connections()) {
            warnings.add(String.format(Locale.ROOT, "only %d of %d %s were established (each process's summary "
                + "says why: see its .out file)", established, settings.connections(),
                settings.udp() ? "sockets" : "connections"));
        }
        if (target > 0 && achieved < 0.99 * target && durationS > 0) {
            warnings.add(String.format(Locale.ROOT, "achieved %.1f msg/s is %.1f%% of the %.1f msg/s target (each "
                + "process's summary says why)", achieved, 100 * achieved / target, target));
        }
        if (inFlight > 0) {
            warnings.add(inFlight + " requests were still in flight when the processes ended");
        }
        final Map<String, String> display = new LinkedHashMap<>(settings.parameters());
        display.put("processes", describe(shares));
        final Map<String, Object> parameters = new LinkedHashMap<>(settings.jsonParameters());
        parameters.put("processes", shares.size());
        final RunInfo info = new RunInfo("bench", settings.describe() + ", " + shares.size()
            + " generator processes", display, parameters, startEpochMs);
        return new BenchResult(info, settings.closedLoop(), settings.connections(), established, target, achieved,
            sent, completed, inFlight, errors, sum(merged, "requests.lateReplies"), sum(merged, "udp.reordered"), -1,
            0, durationS, merged.corrected(), merged.uncorrected(), merged.intervalStats(), List.copyOf(warnings),
            health, Map.of(), statusClasses(merged), new ConnectionChurn(sum(merged, "connections.reconnects"),
                sum(merged, "connections.opened"), merged.connectLatency()));
    }

    private static long sum(final MergedLogs merged, final String key) {
        final Double total = merged.total(key);
        return total == null ? 0 : Math.round(total);
    }

    private static int countWithTotals(final MergedLogs merged) {
        int count = 0;
        for (final Map<String, Double> own : merged.fileTotals()) {
            count += own.isEmpty() ? 0 : 1;
        }
        return count;
    }

    private static Map<String, Long> statusClasses(final MergedLogs merged) {
        final Map<String, Long> classes = new TreeMap<>();
        for (final Map.Entry<String, Double> entry : merged.totals().entrySet()) {
            if (entry.getKey().startsWith(STATUS_PREFIX)) {
                classes.put(entry.getKey().substring(STATUS_PREFIX.length()), Math.round(entry.getValue()));
            }
        }
        return classes.isEmpty() ? Map.of() : java.util.Collections.unmodifiableMap(classes);
    }

    private static String describe(final List<FleetPlan.Share> shares) {
        final StringBuilder text = new StringBuilder().append(shares.size()).append(" (connections ");
        for (final FleetPlan.Share share : shares) {
            text.append(share.index() == 0 ? "" : "+").append(share.connections());
        }
        return text.append(')').toString();
    }
}
