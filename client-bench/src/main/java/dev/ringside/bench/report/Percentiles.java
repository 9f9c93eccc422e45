package dev.ringside.bench.report;

import java.util.LinkedHashMap;
import java.util.Map;

import org.HdrHistogram.Histogram;

/**
 * The percentiles every report shows, in microseconds, from a nanosecond histogram.
 */
public final class Percentiles {
    /** Keys in display order, as the JSON uses them. */
    public static final String[] KEYS = {"p50", "p90", "p99", "p999", "p9999", "max", "mean"};
    /** Column titles matching {@link #KEYS}. */
    public static final String[] TITLES = {"p50", "p90", "p99", "p99.9", "p99.99", "max", "mean"};
    private static final double[] LEVELS = {50, 90, 99, 99.9, 99.99};

    private Percentiles() {
    }

    /**
     * @param histogram latency in ns
     * @return key to microseconds, in {@link #KEYS} order; all 0 for an empty histogram
     */
    public static Map<String, Double> micros(final Histogram histogram) {
        final Map<String, Double> values = new LinkedHashMap<>();
        final boolean empty = histogram.getTotalCount() == 0;
        for (int i = 0; i < LEVELS.length; i++) {
            values.put(KEYS[i], empty ? 0.0 : histogram.getValueAtPercentile(LEVELS[i]) / 1000.0);
        }
        values.put("max", empty ? 0.0 : histogram.getMaxValue() / 1000.0);
        values.put("mean", empty ? 0.0 : histogram.getMean() / 1000.0);
        return values;
    }
}
