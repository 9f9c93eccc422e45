package dev.ringside.bench.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.ringside.bench.record.BenchResult;
import dev.ringside.bench.verdict.Slo;
import dev.ringside.bench.verdict.Verdict;

/**
 * The service-level objectives every step of a sweep is held to, given as {@code --slo} exactly as to
 * {@code bench} (one parser: {@link Slo}), and how far a step missed them. A miss is <em>wide</em> — the
 * sweep learns nothing more by going higher, so it stops — when latency is at least {@link #WIDE_LATENCY}
 * times its limit, failed requests are at least {@link #WIDE_ERROR_SHARE} of those sent, or the rate is
 * below {@link StepJudge#RATE_FLOOR} of what the objective asks.
 */
public final class Objectives {
    /** No objectives: every step meets them (a plain sweep). */
    public static final Objectives NONE = new Objectives(List.of());
    /** Latency at this multiple of its limit or more is a wide miss. */
    public static final double WIDE_LATENCY = 10;
    /** Failed requests at this share of those sent or more are a wide miss (1%). */
    public static final double WIDE_ERROR_SHARE = 0.01;

    private final List<Slo> slos;

    /**
     * @param slos the objectives
     */
    public Objectives(final List<Slo> slos) {
        this.slos = List.copyOf(slos);
    }

    /**
     * @param texts what was given to {@code --slo}
     * @return the objectives
     * @throws IllegalArgumentException on the first bad one, in {@link Slo#parse}'s words
     */
    public static Objectives parse(final List<String> texts) {
        final List<Slo> parsed = new ArrayList<>();
        for (final String text : texts) {
            parsed.add(Slo.parse(text));
        }
        return new Objectives(parsed);
    }

    /** @return the objectives */
    public List<Slo> slos() {
        return slos;
    }

    /** @return whether there are none */
    public boolean isEmpty() {
        return slos.isEmpty();
    }

    /**
     * @param result a step's run
     * @return the objectives it missed; empty when it met every one
     */
    public List<Miss> misses(final BenchResult result) {
        final List<Miss> misses = new ArrayList<>();
        for (final Slo slo : slos) {
            final Slo.Check check = slo.check(result);
            if (!check.met()) {
                misses.add(new Miss(check.measured() + " vs " + slo.text(), wide(slo, result)));
            }
        }
        return misses;
    }

    private static boolean wide(final Slo slo, final BenchResult result) {
        switch (slo.metric()) {
            case LATENCY: {
                if (result.corrected().getTotalCount() == 0) {
                    return true;
                }
                final long valueNs = slo.percentile() >= 100 ? result.corrected().getMaxValue()
                    : result.corrected().getValueAtPercentile(slo.percentile());
                return valueNs >= WIDE_LATENCY * slo.limit();
            }
            case ERRORS:
            case ERROR_PERCENT:
                return result.sent() > 0 && result.requestErrors() >= WIDE_ERROR_SHARE * result.sent();
            case RATE_PERCENT:
                return result.targetRate() > 0
                    && result.achievedRate() < StepJudge.RATE_FLOOR * slo.limit() / 100 * result.targetRate();
            default:
                return result.achievedRate() < StepJudge.RATE_FLOOR * slo.limit();
        }
    }

    /**
     * @param result a step's run
     * @return bench's verdict on it, against these objectives
     */
    public Verdict verdict(final BenchResult result) {
        return Verdict.of(result, slos, false);
    }

    /** @return the objectives in one line, as given; {@code none} when there are none */
    public String describe() {
        if (slos.isEmpty()) {
            return "none";
        }
        final List<String> texts = new ArrayList<>();
        for (final Slo slo : slos) {
            texts.add(slo.text());
        }
        return String.join(" ", texts);
    }

    /** @return latency objectives, label (e.g. {@code p99}) to the limit in µs, for the charts */
    public Map<String, Double> latencyLimitsUs() {
        final Map<String, Double> limits = new LinkedHashMap<>();
        for (final Slo slo : slos) {
            if (slo.metric() == Slo.Metric.LATENCY) {
                limits.put(slo.text().substring(0, slo.text().indexOf('=')).strip(), slo.limit() / 1000.0);
            }
        }
        return limits;
    }

    /**
     * One missed objective.
     *
     * @param text what was missed, e.g. {@code p99 3.2 ms vs p99=1ms}
     * @param wide whether by a wide margin (the sweep stops after such a step)
     */
    public record Miss(String text, boolean wide) {
    }
}
