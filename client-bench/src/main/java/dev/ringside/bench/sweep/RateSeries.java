package dev.ringside.bench.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.ringside.bench.report.Quantities;

/**
 * The rates a sweep steps through, from {@code --rates}: a range {@code LOW..HIGH} cut into {@code --steps}
 * geometric steps (equal ratios, so each step adds the same fraction of load and the curve's knee is as
 * sharp at 10k as at 200k), or an explicit ascending list {@code 1k,5k,20k}. Rates take the suffixes
 * {@code k} (thousand) and {@code M} (million).
 */
public final class RateSeries {
    /** Steps of a range when {@code --steps} is not given. */
    public static final int DEFAULT_STEPS = 8;
    private static final Pattern RATE = Pattern.compile("(\\d+(?:\\.\\d+)?)([kKmM]?)");

    private RateSeries() {
    }

    /**
     * @param text  {@code LOW..HIGH} or {@code R1,R2,...}
     * @param steps steps of a range, or {@code null} for {@link #DEFAULT_STEPS}; not allowed with a list
     * @return the rates, ascending, in messages per second
     * @throws IllegalArgumentException saying what to change
     */
    public static List<Double> parse(final String text, final Integer steps) {
        final String spec = text.strip();
        final int dots = spec.indexOf("..");
        if (dots >= 0) {
            final double low = rate(spec.substring(0, dots));
            final double high = rate(spec.substring(dots + 2));
            if (!(high > low)) {
                throw new IllegalArgumentException("--rates " + text + ": the range must go up, e.g. 10k..200k");
            }
            final int count = steps == null ? DEFAULT_STEPS : steps;
            if (count < 2 || count > 100) {
                throw new IllegalArgumentException("--steps must be 2..100, got " + count);
            }
            return geometric(low, high, count);
        }
        if (steps != null) {
            throw new IllegalArgumentException("--steps goes with a range (--rates 10k..200k), not a list");
        }
        final List<Double> rates = new ArrayList<>();
        for (final String part : spec.split(",", -1)) {
            final double rate = rate(part);
            if (!rates.isEmpty() && rate <= rates.get(rates.size() - 1)) {
                throw new IllegalArgumentException("--rates " + text + ": a list must go up, each rate once");
            }
            rates.add(rate);
        }
        return List.copyOf(rates);
    }

    /**
     * @param low   first rate
     * @param high  last rate
     * @param count how many, at least 2
     * @return {@code count} rates from {@code low} to {@code high} at equal ratios, each rounded to a whole
     *         number of messages per second (the ends exactly)
     */
    public static List<Double> geometric(final double low, final double high, final int count) {
        final List<Double> rates = new ArrayList<>(count);
        final double ratio = Math.pow(high / low, 1.0 / (count - 1));
        for (int i = 0; i < count; i++) {
            // Computed by multiplication from the first rate, never accumulated, so the last is exactly high.
            final double rate = i == count - 1 ? high : Math.rint(low * Math.pow(ratio, i));
            if (rates.isEmpty() || rate > rates.get(rates.size() - 1)) {
                rates.add(rate);
            }
        }
        return List.copyOf(rates);
    }

    /**
     * @param text e.g. {@code 20000}, {@code 20k}, {@code 1.5M}
     * @return messages per second
     */
    static double rate(final String text) {
        final Matcher matcher = RATE.matcher(text.strip());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("--rates: '" + text.strip() + "' is not a rate; use e.g. 500, 20k, "
                + "1.5M");
        }
        final double value = Double.parseDouble(matcher.group(1));
        final String suffix = matcher.group(2).toLowerCase(Locale.ROOT);
        final double rate = value * (suffix.equals("k") ? 1e3 : suffix.equals("m") ? 1e6 : 1);
        if (!(rate > 0)) {
            throw new IllegalArgumentException("--rates: every rate must be positive, got " + text.strip());
        }
        return rate;
    }

    /**
     * @param text a percentage, e.g. {@code 2%} (the % is optional)
     * @return it as a fraction, e.g. 0.02
     * @throws IllegalArgumentException unless it is between 0 and 100 %
     */
    public static double resolution(final String text) {
        final String spec = text.strip();
        final double value;
        try {
            value = Double.parseDouble(spec.endsWith("%") ? spec.substring(0, spec.length() - 1) : spec);
        } catch (final NumberFormatException ex) {
            throw new IllegalArgumentException("--resolution must be a percentage, e.g. 2%, got " + text);
        }
        if (!(value > 0 && value < 100)) {
            throw new IllegalArgumentException("--resolution must be between 0% and 100%, got " + text);
        }
        return value / 100;
    }

    /**
     * @param rate messages per second
     * @return it short: {@code 850}, {@code 12.5k}, {@code 200k}, {@code 1.2M}
     */
    public static String format(final double rate) {
        return Quantities.count(rate);
    }
}
