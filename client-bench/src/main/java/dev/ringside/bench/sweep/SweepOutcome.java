package dev.ringside.bench.sweep;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

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
 */
public record SweepOutcome(List<String> argv, String description, Map<String, String> parameters, String objectives,
    Map<String, Double> latencyLimitsUs, List<Double> rates, List<SweepStep> steps, SearchResult search) {

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
