package dev.ringside.bench.sweep;

import java.util.List;
import java.util.Map;

import dev.ringside.bench.record.BenchResult;
import dev.ringside.bench.record.GeneratorHealth;
import dev.ringside.bench.verdict.Verdict;

/**
 * One step of a sweep: the rate asked for, what came back, and how it fared.
 *
 * @param targetRate         messages per second asked for
 * @param achievedRate       replies per second that came back in the window
 * @param latencyUs          corrected latency in µs under the JSON's keys (p50, p90, p99, p999, p9999, max,
 *                           mean); empty when nothing was measured
 * @param errors             errors of every kind
 * @param generatorDutyCycle fraction of the window the generator's busiest thread was working (0..1); NaN
 *                           when unknown
 * @param misses             each objective the step missed, in a few words; empty when it met them all
 * @param overload           why the step missed by a wide margin (and the sweep stops after it); {@code null}
 *                           when it did not
 * @param result             the run behind the step; {@code null} for a step that could not run or a fake
 * @param benchVerdict       bench's verdict on the run, against the sweep's objectives; {@code null} with no run
 * @param server             what the server spent during the step; {@code null} when not measured (the sweep
 *                           did not start the server)
 */
public record SweepStep(double targetRate, double achievedRate, Map<String, Double> latencyUs, long errors,
    double generatorDutyCycle, List<String> misses, String overload, BenchResult result, Verdict benchVerdict,
    ServerCost server) {

    /**
     * @param cost what the server spent during this step
     * @return this step with it
     */
    public SweepStep withServer(final ServerCost cost) {
        return new SweepStep(targetRate, achievedRate, latencyUs, errors, generatorDutyCycle, misses, overload, result,
            benchVerdict, cost);
    }

    /** @return whether every objective was met */
    public boolean met() {
        return misses.isEmpty();
    }

    /** @return whether the step missed by a wide margin */
    public boolean overloaded() {
        return overload != null;
    }

    /** @return whether the generator was busy nearly all the window, so its own limit may be what was measured */
    public boolean generatorBound() {
        return generatorDutyCycle >= GeneratorHealth.SATURATED;
    }

    /**
     * @param key a {@link dev.ringside.bench.report.Percentiles#KEYS} key
     * @return its latency in µs; NaN when not measured
     */
    public double latency(final String key) {
        final Double value = latencyUs.get(key);
        return value == null ? Double.NaN : value;
    }

    /** @return the verdict in a few words, for tables */
    public String verdict() {
        if (overloaded()) {
            return "overloaded: " + overload;
        }
        return met() ? "met" : "missed: " + String.join("; ", misses);
    }
}
