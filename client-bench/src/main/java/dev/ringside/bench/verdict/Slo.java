package dev.ringside.bench.verdict;

import java.util.Locale;

import dev.ringside.bench.record.BenchResult;

/**
 * One service-level objective, as given to {@code --slo} (and to the rate search, which reuses this parser):
 * <ul>
 *   <li>{@code pNN=DURATION} (e.g. {@code p99=2ms}, {@code p99.9=10ms}, {@code max=50ms}): corrected latency at
 *       that percentile at most the duration; the unit ({@code ns}, {@code us}, {@code ms}, {@code s}) is
 *       required;</li>
 *   <li>{@code errors=N} or {@code errors=N%}: at most N errors of every kind, or failed requests at most N% of
 *       those sent;</li>
 *   <li>{@code rate=N%} or {@code rate=N}: achieved rate at least N% of the target (open loop), or at least N
 *       replies per second.</li>
 * </ul>
 *
 * @param text      what the user wrote
 * @param metric    what is checked
 * @param percentile for {@link Metric#LATENCY}: the percentile (100 for max); else NaN
 * @param limit     the bound: ns for latency, a count, a percentage, or replies per second
 */
public record Slo(String text, Metric metric, double percentile, double limit) {
    /** What an objective checks. */
    public enum Metric {
        /** Corrected latency at a percentile, at most {@code limit} ns. */
        LATENCY,
        /** Errors of every kind, at most {@code limit}. */
        ERRORS,
        /** Failed requests as a percentage of those sent, at most {@code limit}. */
        ERROR_PERCENT,
        /** Achieved rate as a percentage of the target, at least {@code limit}. */
        RATE_PERCENT,
        /** Achieved replies per second, at least {@code limit}. */
        RATE
    }

    /** How one objective fared. */
    public record Check(Slo slo, boolean met, String measured) {
        /** @return e.g. {@code slo p99=2ms: met (p99 1.234 ms)} */
        public String line() {
            return "slo " + slo.text() + ": " + (met ? "met" : "MISSED") + " (" + measured + ")";
        }
    }

    private static final String SYNTAX = "use pNN=DURATION (p50=1ms, p99.9=10ms, max=50ms), errors=N or N%, "
        + "rate=N% (of the target) or rate=N (msg/s)";

    /**
     * Parses one objective.
     *
     * @param text e.g. {@code p99=2ms}
     * @return the objective
     * @throws IllegalArgumentException one line naming the mistake and the syntax
     */
    public static Slo parse(final String text) {
        final String spec = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        final int eq = spec.indexOf('=');
        if (eq <= 0 || eq == spec.length() - 1) {
            throw bad(text, "expected NAME=VALUE");
        }
        final String name = spec.substring(0, eq).trim();
        final String value = spec.substring(eq + 1).trim();
        if (name.equals("errors")) {
            if (value.endsWith("%")) {
                return new Slo(text, Metric.ERROR_PERCENT, Double.NaN, percent(text, value));
            }
            final double count = number(text, value);
            if (count != Math.rint(count)) {
                throw bad(text, "errors must be a whole number or a percentage");
            }
            return new Slo(text, Metric.ERRORS, Double.NaN, count);
        }
        if (name.equals("rate")) {
            if (value.endsWith("%")) {
                return new Slo(text, Metric.RATE_PERCENT, Double.NaN, percent(text, value));
            }
            return new Slo(text, Metric.RATE, Double.NaN, number(text, value));
        }
        final double percentile;
        if (name.equals("max")) {
            percentile = 100;
        } else if (name.startsWith("p") && name.length() > 1) {
            percentile = number(text, name.substring(1));
            if (!(percentile > 0 && percentile <= 100)) {
                throw bad(text, "a percentile is above 0 and at most 100");
            }
        } else {
            throw bad(text, "unknown objective '" + name + "'");
        }
        return new Slo(text, Metric.LATENCY, percentile, durationNs(text, value));
    }

    /**
     * Checks the objective against a run.
     *
     * @param result the run
     * @return met or missed, with the measured value
     */
    public Check check(final BenchResult result) {
        switch (metric) {
            case LATENCY: {
                if (result.corrected().getTotalCount() == 0) {
                    return new Check(this, false, "no latency samples");
                }
                final long valueNs = percentile >= 100 ? result.corrected().getMaxValue()
                    : result.corrected().getValueAtPercentile(percentile);
                return new Check(this, valueNs <= limit, label() + " " + formatNs(valueNs));
            }
            case ERRORS: {
                final long errors = result.errorTotal();
                return new Check(this, errors <= limit, errors + " errors");
            }
            case ERROR_PERCENT: {
                final double share = result.sent() > 0 ? 100.0 * result.requestErrors() / result.sent() : 0;
                return new Check(this, share <= limit, String.format(Locale.ROOT, "%.3f%% of requests failed",
                    share));
            }
            case RATE_PERCENT: {
                if (!(result.targetRate() > 0)) {
                    return new Check(this, false, "closed loop has no target rate; use rate=N (msg/s)");
                }
                final double share = 100 * result.achievedRate() / result.targetRate();
                return new Check(this, share >= limit, String.format(Locale.ROOT, "%.1f%% of the target",
                    share));
            }
            default: {
                return new Check(this, result.achievedRate() >= limit, String.format(Locale.ROOT, "%.1f msg/s",
                    result.achievedRate()));
            }
        }
    }

    private String label() {
        if (percentile >= 100) {
            return "max";
        }
        return percentile == Math.rint(percentile) ? "p" + (long) percentile
            : "p" + String.format(Locale.ROOT, "%s", percentile);
    }

    private static String formatNs(final long ns) {
        if (ns < 1_000_000) {
            return String.format(Locale.ROOT, "%.1f us", ns / 1e3);
        }
        if (ns < 1_000_000_000) {
            return String.format(Locale.ROOT, "%.3f ms", ns / 1e6);
        }
        return String.format(Locale.ROOT, "%.3f s", ns / 1e9);
    }

    private static double durationNs(final String text, final String value) {
        final double scale;
        final String digits;
        if (value.endsWith("ns")) {
            scale = 1;
            digits = value.substring(0, value.length() - 2);
        } else if (value.endsWith("us")) {
            scale = 1e3;
            digits = value.substring(0, value.length() - 2);
        } else if (value.endsWith("ms")) {
            scale = 1e6;
            digits = value.substring(0, value.length() - 2);
        } else if (value.endsWith("s")) {
            scale = 1e9;
            digits = value.substring(0, value.length() - 1);
        } else {
            throw bad(text, "a latency needs a unit: ns, us, ms or s");
        }
        return number(text, digits) * scale;
    }

    private static double percent(final String text, final String value) {
        final double share = number(text, value.substring(0, value.length() - 1));
        if (share > 100) {
            throw bad(text, "a percentage is at most 100");
        }
        return share;
    }

    private static double number(final String text, final String digits) {
        try {
            final double value = Double.parseDouble(digits.trim());
            if (value < 0 || Double.isNaN(value) || Double.isInfinite(value)) {
                throw bad(text, "'" + digits + "' is not a non-negative number");
            }
            return value;
        } catch (final NumberFormatException ex) {
            throw bad(text, "'" + digits + "' is not a number");
        }
    }

    private static IllegalArgumentException bad(final String text, final String why) {
        return new IllegalArgumentException("--slo " + text + ": " + why + "; " + SYNTAX);
    }
}
