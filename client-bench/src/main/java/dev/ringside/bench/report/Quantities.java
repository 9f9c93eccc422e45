package dev.ringside.bench.report;

import java.util.Locale;

/**
 * Numbers as a person reads them. Latency: {@code 850 ns}, {@code 12.5 µs}, {@code 250 µs}, {@code 1.4 ms},
 * {@code 2 s} — three significant digits at most, trailing zeros dropped, the unit chosen so the number is
 * between 1 and 1000. Rates and counts: {@code 850}, {@code 12.5k}, {@code 1.2M}. Chart ticks and sentences
 * use them; never {@code 250000} or {@code 0.100}.
 */
public final class Quantities {
    private Quantities() {
    }

    /**
     * @param micros a latency in µs
     * @return it with a unit; {@code -} for NaN
     */
    public static String micros(final double micros) {
        if (Double.isNaN(micros)) {
            return "-";
        }
        final double abs = Math.abs(micros);
        if (abs == 0) {
            return "0";
        }
        if (abs < 1) {
            return significant(micros * 1000) + " ns";
        }
        if (abs < 1000) {
            return significant(micros) + " µs";
        }
        if (abs < 1_000_000) {
            return significant(micros / 1000) + " ms";
        }
        return significant(micros / 1_000_000) + " s";
    }

    /**
     * @param value any number
     * @return it with three significant digits at most and no trailing zeros: {@code 0.1}, {@code 12.5},
     *         {@code 250}, {@code 1200}
     */
    public static String significant(final double value) {
        final double abs = Math.abs(value);
        if (abs == 0 || Double.isNaN(value) || Double.isInfinite(value)) {
            return abs == 0 ? "0" : Double.toString(value);
        }
        final String text;
        if (abs >= 100) {
            text = String.format(Locale.ROOT, "%.0f", value);
        } else if (abs >= 10) {
            text = String.format(Locale.ROOT, "%.1f", value);
        } else if (abs >= 1) {
            text = String.format(Locale.ROOT, "%.2f", value);
        } else {
            // Below 1: three significant digits after the leading zeros.
            final int zeros = (int) Math.floor(-Math.log10(abs));
            text = String.format(Locale.ROOT, "%." + (zeros + 3) + "f", value);
        }
        if (!text.contains(".")) {
            return text;
        }
        return text.replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    /**
     * @param count a rate or a count
     * @return it short: {@code 850}, {@code 12.5k}, {@code 200k}, {@code 1.2M}
     */
    public static String count(final double count) {
        final double abs = Math.abs(count);
        if (abs >= 1e6) {
            return significant(count / 1e6) + "M";
        }
        if (abs >= 1e3) {
            return significant(count / 1e3) + "k";
        }
        return significant(count);
    }
}
