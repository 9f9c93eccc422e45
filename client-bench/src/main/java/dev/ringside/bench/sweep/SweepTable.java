package dev.ringside.bench.sweep;

import java.io.PrintStream;
import java.util.Locale;

import dev.ringside.bench.report.Quantities;

/**
 * The sweep as text: one row per step by target rate (target, achieved, corrected p50/p90/p99/p99.9/max,
 * errors, the generator's duty cycle, the verdict), then why it stopped early and the search's answer.
 */
public final class SweepTable {
    private static final String[] KEYS = {"p50", "p90", "p99", "p999", "max"};

    private SweepTable() {
    }

    /**
     * @param outcome the sweep
     * @param out     where
     */
    public static void print(final SweepOutcome outcome, final PrintStream out) {
        out.println("ringside sweep: " + outcome.description());
        out.println("  objectives    " + outcome.objectives());
        out.println();
        out.printf(Locale.ROOT, "  %9s %9s %9s %9s %9s %9s %9s %7s %5s  %s%n", "target/s", "achieved", "p50",
            "p90", "p99", "p99.9", "max", "errors", "gen%", "verdict");
        for (final SweepStep step : outcome.byRate()) {
            out.println(row(step, outcome.search()));
        }
        out.println("  (latency corrected for coordinated omission; gen%: busiest generator thread's duty cycle)");
        final String stopped = outcome.stoppedEarly();
        if (stopped != null) {
            out.println();
            out.println("  " + stopped);
        }
        if (outcome.search() != null) {
            out.println();
            out.println("  " + outcome.search().conclusion());
        }
    }

    /**
     * @param step   a step
     * @param search the search's answer, or {@code null}
     * @return its row
     */
    static String row(final SweepStep step, final SearchResult search) {
        final StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%s %9s %9s",
            search != null && search.met() == step ? "->" : "  ", RateSeries.format(step.targetRate()),
            RateSeries.format(step.achievedRate())));
        for (final String key : KEYS) {
            row.append(String.format(Locale.ROOT, " %9s", Quantities.micros(step.latency(key)).replace(" ", "")));
        }
        row.append(String.format(Locale.ROOT, " %7d %5s  %s", step.errors(), dutyCycle(step), step.verdict()));
        return row.toString();
    }

    /**
     * @param step a step
     * @return its generator duty cycle in percent, or {@code -}
     */
    static String dutyCycle(final SweepStep step) {
        return Double.isNaN(step.generatorDutyCycle()) ? "-"
            : String.format(Locale.ROOT, "%.0f", 100 * step.generatorDutyCycle());
    }
}
