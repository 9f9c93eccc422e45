package dev.ringside.bench.sweep;

import java.io.PrintStream;
import java.util.Locale;

import dev.ringside.bench.report.Quantities;

/**
 * The sweep as text: one row per step by target rate (target, achieved, corrected p50/p90/p99/p99.9/max,
 * errors, the generator's duty cycle, the server's cost when it was measured, the verdict), then why it
 * stopped early, the search's answer, and whether a signal cut it short.
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
        steps(outcome, out);
        final String stopped = outcome.stoppedEarly();
        if (stopped != null) {
            out.println();
            out.println("  " + stopped);
        }
        if (outcome.search() != null) {
            out.println();
            out.println("  " + outcome.search().conclusion());
        }
        if (outcome.interruptedBy() != null) {
            out.println();
            out.println("INTERRUPTED by " + outcome.interruptedBy() + ": only the steps above finished");
        }
    }

    /**
     * Prints the steps' rows under a header, and the legend.
     *
     * @param outcome the sweep
     * @param out     where
     */
    public static void steps(final SweepOutcome outcome, final PrintStream out) {
        final boolean costed = costed(outcome);
        out.printf(Locale.ROOT, "  %9s %9s %9s %9s %9s %9s %9s %7s %5s%s  %s%n", "target/s", "achieved", "p50",
            "p90", "p99", "p99.9", "max", "errors", "gen%", costed ? String.format(Locale.ROOT, " %8s %5s %7s %7s",
                "srv cpu", "cpu%", "rss", "threads") : "", "verdict");
        for (final SweepStep step : outcome.byRate()) {
            out.println(row(step, outcome.search(), costed));
        }
        out.println("  (latency corrected for coordinated omission; gen%: busiest generator thread's duty cycle"
            + (costed ? "; srv cpu: server CPU time per reply in the window, cpu%: of one CPU, rss: most resident "
                + "memory seen, threads: most seen, whole server process tree)" : ")"));
    }

    /**
     * @param outcome a sweep
     * @return whether any of its steps has the server's cost
     */
    public static boolean costed(final SweepOutcome outcome) {
        for (final SweepStep step : outcome.steps()) {
            if (step.server() != null) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param step   a step
     * @param search the search's answer, or {@code null}
     * @param costed whether to add the server's cost columns
     * @return its row
     */
    static String row(final SweepStep step, final SearchResult search, final boolean costed) {
        final StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%s %9s %9s",
            search != null && search.met() == step ? "->" : "  ", RateSeries.format(step.targetRate()),
            RateSeries.format(step.achievedRate())));
        for (final String key : KEYS) {
            row.append(String.format(Locale.ROOT, " %9s", Quantities.micros(step.latency(key)).replace(" ", "")));
        }
        row.append(String.format(Locale.ROOT, " %7d %5s", step.errors(), dutyCycle(step)));
        if (costed) {
            final ServerCost cost = step.server();
            row.append(String.format(Locale.ROOT, " %8s %5s %7s %7s", cost == null ? "-" : cpu(cost.cpuUsPerMessage()),
                cost == null ? "-" : percent(cost.cpuPercent()), cost == null ? "-" : mebibytes(cost.rssBytes()),
                cost == null || cost.threads() < 0 ? "-" : Integer.toString(cost.threads())));
        }
        row.append("  ").append(step.verdict());
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

    /**
     * @param micros CPU time per reply in µs, or NaN
     * @return e.g. {@code 12.3us}, or {@code -}
     */
    public static String cpu(final double micros) {
        return Double.isNaN(micros) ? "-" : String.format(Locale.ROOT, "%.1fus", micros);
    }

    /**
     * @param value a percentage, or NaN
     * @return e.g. {@code 42%}, or {@code -}
     */
    public static String percent(final double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.0f%%", value);
    }

    /**
     * @param bytes a size, or negative when unknown
     * @return e.g. {@code 48MiB}, or {@code -}
     */
    public static String mebibytes(final long bytes) {
        return bytes < 0 ? "-" : String.format(Locale.ROOT, "%.0fMiB", bytes / (1024.0 * 1024.0));
    }
}
