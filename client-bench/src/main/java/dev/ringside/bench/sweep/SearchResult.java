package dev.ringside.bench.sweep;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import dev.ringside.bench.report.Quantities;

/**
 * The answer of an SLO search with its evidence: the highest rate that met every objective and the lowest
 * rate above it that missed, the steps on both sides of the answer.
 *
 * @param met        the highest step that met every objective; {@code null} when none did
 * @param missed     the lowest step above {@code met} that missed; {@code null} when none did
 * @param resolution the fraction the two were to be narrowed to
 * @param resolved   whether they were (false when the bisection's step cap or an interruption came first)
 * @param interrupted whether a signal stopped the search (the answer then covers the steps that finished)
 * @param steps      every step that finished, in the order run
 */
public record SearchResult(SweepStep met, SweepStep missed, double resolution, boolean resolved,
    boolean interrupted, List<SweepStep> steps) {

    /** @return the highest rate found to meet every objective, msg/s; 0 when none did */
    public double highestRate() {
        return met == null ? 0 : met.targetRate();
    }

    /** @return whether both ends were found: a rate that met and one above it that missed */
    public boolean bracketed() {
        return met != null && missed != null;
    }

    /**
     * @return whether the generator rather than the server set the answer: the generator was busy nearly all
     *         the window on the step just above the answer (or on the answer, when nothing above it missed)
     */
    public boolean generatorLimited() {
        final SweepStep edge = missed != null ? missed : met;
        return edge != null && edge.generatorBound();
    }

    /** @return steps that missed at a rate below the answer: the response was not monotone there */
    public List<SweepStep> anomalies() {
        final List<SweepStep> below = new ArrayList<>();
        for (final SweepStep step : steps) {
            if (met != null && !step.met() && step.targetRate() < met.targetRate()) {
                below.add(step);
            }
        }
        below.sort(Comparator.comparingDouble(SweepStep::targetRate));
        return below;
    }

    /** @return the answer in a few sentences, with its evidence */
    public String conclusion() {
        final StringBuilder text = new StringBuilder();
        if (met == null && missed == null) {
            return "Interrupted before any step finished: no answer.";
        } else if (met == null) {
            text.append("No rate met every objective: the lowest, ").append(rate(missed)).append(", ")
                .append(missed.verdict()).append(". Lower --rates.");
        } else if (missed == null) {
            text.append("Every rate up to ").append(rate(met)).append(" met every objective").append(interrupted
                ? " (the search was interrupted before any higher rate finished)" : "").append(": the highest rate is "
                + "at least that.").append(interrupted ? "" : " Raise --rates to find where it stops.");
        } else {
            text.append("Highest rate meeting every objective: ").append(rate(met)).append(" (achieved ")
                .append(RateSeries.format(met.achievedRate())).append(" msg/s, p99 ")
                .append(Quantities.micros(met.latency("p99"))).append("). Next step up: ").append(rate(missed))
                .append(", ").append(missed.verdict()).append('.');
            final double gap = missed.targetRate() / met.targetRate() - 1;
            text.append(String.format(Locale.ROOT, " The two are %.1f%% apart", 100 * gap));
            if (resolved) {
                text.append(String.format(Locale.ROOT, " (resolution %.0f%%).", 100 * resolution));
            } else if (interrupted) {
                text.append(String.format(Locale.ROOT, ": the search was interrupted before reaching its %.0f%% "
                    + "resolution.", 100 * resolution));
            } else {
                text.append(String.format(Locale.ROOT, ": the search stopped after %d bisections before reaching its "
                    + "%.0f%% resolution.", SloSearch.MAX_BISECTIONS, 100 * resolution));
            }
        }
        final SweepStep edge = missed != null ? missed : met;
        if (edge != null && !Double.isNaN(edge.generatorDutyCycle())) {
            text.append(String.format(Locale.ROOT, " At %s the generator's busiest thread was busy %.0f%% of the "
                + "window", rate(edge), 100 * edge.generatorDutyCycle()));
            text.append(generatorLimited() ? ": the generator, not the server, limits this answer (give the "
                + "generator more --threads or CPUs, or run generators on more hosts)."
                : ", so the server, not the generator, sets this limit.");
        } else if (edge != null) {
            text.append(" The generator's duty cycle is unknown, so whether it or the server set the limit is "
                + "not known.");
        }
        final List<SweepStep> anomalies = anomalies();
        if (!anomalies.isEmpty()) {
            final List<String> rates = new ArrayList<>();
            for (final SweepStep step : anomalies) {
                rates.add(rate(step) + " (" + step.verdict() + ")");
            }
            text.append(" Not monotone: ").append(String.join(", ", rates)).append(anomalies.size() == 1 ? " missed"
                : " missed").append(" below the answer; a one-off (a GC pause, another process) or a real dip: "
                    + "re-run to tell.");
        }
        return text.toString();
    }

    private static String rate(final SweepStep step) {
        return RateSeries.format(step.targetRate()) + " msg/s";
    }
}
