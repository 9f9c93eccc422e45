package dev.ringside.bench.sweep;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import dev.ringside.bench.verdict.ExitStatus;

/**
 * A whole sweep: how it was run, every step, and the search's answer when there was one.
 *
 * @param argv        the command line that made it
 * @param description the load, one line (the rate varies by step)
 * @param parameters  the settings, as label/value pairs
 * @param objectives  the objectives every step was held to, one line; {@code none} for a plain sweep
 * @param latencyLimitsUs latency objectives, label (e.g. {@code p99}) to µs, drawn on the charts
 * @param rates       the rates asked for by {@code --rates}
 * @param steps       every step, in the order run
 * @param search      the search's answer; {@code null} for a plain sweep
 * @param interruptedBy the signal that stopped the sweep (the step under way is left out); {@code null} when
 *                    none did
 */
public record SweepOutcome(List<String> argv, String description, Map<String, String> parameters, String objectives,
    Map<String, Double> latencyLimitsUs, List<Double> rates, List<SweepStep> steps, SearchResult search,
    String interruptedBy) {

    /**
     * A sweep is meant to overload the server at its top rates, so an overloaded step is no failure. It
     * fails when it measured nothing (the first step could not run), a search fails when no rate met the
     * objectives, and an interrupted sweep ends as every interrupted run does.
     *
     * @return the exit status
     */
    public int exitStatus() {
        if (interruptedBy != null) {
            return ExitStatus.forSignal(interruptedBy);
        }
        if (steps.isEmpty() || steps.get(0).result() == null) {
            return ExitStatus.FAILED;
        }
        return search != null && search.met() == null ? ExitStatus.SLO_MISSED : ExitStatus.CLEAN;
    }

    /** @return the verdict's status word: MEASURED, FAILED, SLO-MISSED or INTERRUPTED */
    public String status() {
        if (interruptedBy != null) {
            return "INTERRUPTED";
        }
        return switch (exitStatus()) {
            case ExitStatus.FAILED -> "FAILED";
            case ExitStatus.SLO_MISSED -> "SLO-MISSED";
            default -> "MEASURED";
        };
    }

    /** @return why the verdict is what it is, in a few words; empty for a sweep that measured */
    public String reason() {
        if (interruptedBy != null) {
            return "interrupted by " + interruptedBy + " after " + steps.size()
                + (steps.size() == 1 ? " step" : " steps")
                + "; the step under way was left out";
        }
        return switch (exitStatus()) {
            case ExitStatus.FAILED -> "the first step could not run" + (steps.isEmpty() ? "" : ": "
                + steps.get(0).verdict());
            case ExitStatus.SLO_MISSED -> "no rate met the objectives";
            default -> "";
        };
    }

    /** @return the closing line, e.g. {@code verdict: INTERRUPTED (exit 130): interrupted by SIGINT after 3 steps} */
    public String verdictLine() {
        final String reason = reason();
        return "verdict: " + status() + " (exit " + exitStatus() + ")" + (reason.isEmpty() ? "" : ": " + reason);
    }

    /** @return the steps by target rate, lowest first */
    public List<SweepStep> byRate() {
        final List<SweepStep> sorted = new ArrayList<>(steps);
        sorted.sort(Comparator.comparingDouble(SweepStep::targetRate));
        return sorted;
    }

    /** @return why the sweep stopped before the last rate asked for; {@code null} when it did not */
    public String stoppedEarly() {
        final SweepStep last = byRate().isEmpty() ? null : byRate().get(steps.size() - 1);
        if (last == null || !last.overloaded() || last.targetRate() >= rates.get(rates.size() - 1)) {
            return null;
        }
        int skipped = 0;
        for (final double rate : rates) {
            if (rate > last.targetRate()) {
                skipped++;
            }
        }
        return "stopped after " + RateSeries.format(last.targetRate()) + " msg/s, which missed by a wide margin ("
            + last.overload() + "); " + skipped + (skipped == 1 ? " higher rate was" : " higher rates were")
            + " not run";
    }
}
