package dev.ringside.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.function.DoubleFunction;
import java.util.function.DoubleUnaryOperator;

/**
 * A line chart drawn as inline SVG, so a report needs no script and no network. The x axis is linear,
 * logarithmic ({@link #logX()}), or a percentile axis ({@link #percentileAxis()}): x = log10(1 / (1 − p)),
 * which puts 90%, 99%, 99.9%, … at equal steps, as HdrHistogram's plots do. The y axis is linear or
 * logarithmic. A point whose y is NaN is a gap in its line; a series may mark each point, and flag some of
 * them (drawn as a larger hollow ring) for points that come with a caveat.
 */
public final class SvgChart {
    /** Span (max / min of the positive values) from which {@link #logYIfWide()} picks a log axis. */
    public static final double AUTO_LOG_SPAN = 20;
    private static final int MAX_POINT_TICKS = 8;
    private static final int WIDTH = 900;
    private static final int HEIGHT = 340;
    private static final int LEFT = 80;
    private static final int RIGHT = 150;
    private static final int TOP = 20;
    private static final int BOTTOM = 50;

    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    private final List<Level> levels = new ArrayList<>();
    private boolean percentileX;
    private boolean logX;
    private boolean logY;
    private boolean autoLogY;
    private DoubleFunction<String> xFormat = Quantities::significant;
    private DoubleFunction<String> yFormat = Quantities::significant;

    private record Level(String name, String color, double y) {
    }

    private record Series(String name, String color, double[] xs, double[] ys, boolean dashed, boolean[] flagged) {
    }

    /**
     * @param xLabel the x axis's title
     * @param yLabel the y axis's title
     */
    public SvgChart(final String xLabel, final String yLabel) {
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    /**
     * Makes the x axis a percentile axis: x = log10(1 / (1 − p)), so 90%, 99%, 99.9% are equal steps.
     *
     * @return this
     */
    public SvgChart percentileAxis() {
        this.percentileX = true;
        return this;
    }

    /**
     * Makes the x axis logarithmic, with a grid line at each power of ten and at each x a series has.
     *
     * @return this
     */
    public SvgChart logX() {
        this.logX = true;
        return this;
    }

    /**
     * Makes the y axis logarithmic, one grid line per power of ten.
     *
     * @return this
     */
    public SvgChart logY() {
        this.logY = true;
        return this;
    }

    /**
     * Makes the y axis logarithmic when the values span at least a factor of {@link #AUTO_LOG_SPAN}, linear
     * otherwise: a tail a hundred times the median flattens everything else on a linear axis.
     *
     * @return this
     */
    public SvgChart logYIfWide() {
        this.autoLogY = true;
        return this;
    }

    /**
     * Y values are latencies in µs: ticks read {@code 250 µs}, {@code 1 ms}, {@code 2 s}.
     *
     * @return this
     */
    public SvgChart latencyY() {
        this.yFormat = Quantities::micros;
        return this;
    }

    /**
     * X values are rates or counts: ticks read {@code 850}, {@code 20k}, {@code 1.2M}.
     *
     * @return this
     */
    public SvgChart countX() {
        this.xFormat = Quantities::count;
        return this;
    }

    /**
     * Y values are rates or counts: ticks read {@code 850}, {@code 20k}, {@code 1.2M}.
     *
     * @return this
     */
    public SvgChart countY() {
        this.yFormat = Quantities::count;
        return this;
    }

    /**
     * Adds a horizontal dashed line across the plot, e.g. an objective's limit.
     *
     * @param name  its legend
     * @param color a CSS color
     * @param y     where
     * @return this
     */
    public SvgChart addLevel(final String name, final String color, final double y) {
        levels.add(new Level(name, color, y));
        return this;
    }

    /**
     * Adds a line.
     *
     * @param name   its legend
     * @param color  a CSS color
     * @param xs     x of each point
     * @param ys     y of each point; NaN leaves a gap
     * @param dashed whether the line is dashed
     * @return this
     */
    public SvgChart add(final String name, final String color, final double[] xs, final double[] ys,
        final boolean dashed) {
        series.add(new Series(name, color, xs, ys, dashed, null));
        return this;
    }

    /**
     * Adds a line with a dot at each point.
     *
     * @param name    its legend
     * @param color   a CSS color
     * @param xs      x of each point
     * @param ys      y of each point; NaN leaves a gap
     * @param flagged points drawn with a larger hollow ring as well (a caveat the text explains)
     * @return this
     */
    public SvgChart addMarked(final String name, final String color, final double[] xs, final double[] ys,
        final boolean[] flagged) {
        series.add(new Series(name, color, xs, ys, false, flagged));
        return this;
    }

    /**
     * @param percentile a percentile below 100
     * @return its position on the percentile axis
     */
    public static double percentileX(final double percentile) {
        return Math.log10(100.0 / (100.0 - percentile));
    }

    /** @return the chart as an {@code <svg>} element */
    public String render() {
        double minX = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double maxY = 0;
        double minPositiveY = Double.MAX_VALUE;
        for (final Series s : series) {
            for (int i = 0; i < s.xs.length; i++) {
                if (Double.isNaN(s.ys[i]) || logX && s.xs[i] <= 0) {
                    continue;
                }
                minX = Math.min(minX, s.xs[i]);
                maxX = Math.max(maxX, s.xs[i]);
                maxY = Math.max(maxY, s.ys[i]);
                if (s.ys[i] > 0) {
                    minPositiveY = Math.min(minPositiveY, s.ys[i]);
                }
            }
        }
        for (final Level level : levels) {
            maxY = Math.max(maxY, level.y);
            if (level.y > 0) {
                minPositiveY = Math.min(minPositiveY, level.y);
            }
        }
        final boolean logY = this.logY || autoLogY && minPositiveY < Double.MAX_VALUE
            && maxY / minPositiveY >= AUTO_LOG_SPAN;
        final StringBuilder svg = new StringBuilder(16 * 1024);
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
            + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        svg.append(String.format(Locale.ROOT, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#fff\"/>%n",
            WIDTH, HEIGHT));
        if (minX == Double.MAX_VALUE) {
            svg.append("<text x=\"").append(WIDTH / 2).append("\" y=\"").append(HEIGHT / 2)
                .append("\" text-anchor=\"middle\">no samples</text>\n</svg>\n");
            return svg.toString();
        }
        if (percentileX) {
            minX = 0;
            maxX = Math.max(1, Math.ceil(maxX));
        } else if (logX) {
            minX = Math.log10(minX);
            maxX = Math.log10(maxX);
            // A little room either side, so the first and last points are not on the frame.
            final double margin = Math.max(0.1, (maxX - minX) * 0.04);
            minX -= margin;
            maxX += margin;
        } else if (maxX - minX <= 0) {
            maxX = minX + 1;
        }
        final double y0;
        final double y1;
        final List<Double> logTicks = new ArrayList<>();
        if (logY) {
            final double low = minPositiveY == Double.MAX_VALUE ? 1 : minPositiveY;
            final double high = Math.max(maxY, low);
            logTicks.addAll(logTicks(low, high));
            y0 = Math.log10(logTicks.get(0));
            y1 = Math.log10(logTicks.get(logTicks.size() - 1));
        } else {
            y0 = 0;
            y1 = maxY <= 0 ? 1 : niceCeiling(maxY);
        }
        final double plotW = WIDTH - LEFT - RIGHT;
        final double plotH = HEIGHT - TOP - BOTTOM;
        final double fx0 = minX;
        final double fx1 = maxX;
        final boolean xIsLog = logX;
        final DoubleUnaryOperator px = x -> LEFT + ((xIsLog ? Math.log10(x) : x) - fx0)
            / (fx1 - fx0) * plotW;
        final DoubleUnaryOperator py = y -> {
            final double v = logY ? Math.log10(Math.max(y, Math.pow(10, y0))) : y;
            return TOP + plotH - (v - y0) / (y1 - y0) * plotH;
        };
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.0f\" height=\"%.0f\" fill=\"none\" "
            + "stroke=\"#888\"/>%n", LEFT, TOP, plotW, plotH));
        // y grid and labels
        if (logY) {
            for (final double tick : logTicks) {
                gridY(svg, py.applyAsDouble(tick), yFormat.apply(tick), plotW);
            }
        } else {
            final double step = niceStep(y1 / 5);
            for (int i = 0; i * step <= y1 + step / 1000; i++) {
                // Multiplied, never accumulated, so 0.1 + 0.2 does not print as 0.30000000000000004.
                gridY(svg, py.applyAsDouble(i * step), yFormat.apply(i * step), plotW);
            }
        }
        // x grid and labels
        if (percentileX) {
            for (int i = 0; i <= (int) maxX; i++) {
                gridX(svg, px.applyAsDouble(i), percentileLabel(i), plotH);
            }
        } else if (logX) {
            final TreeSet<Double> ticks = new TreeSet<>();
            for (final Series s : series) {
                for (int i = 0; i < s.xs.length; i++) {
                    if (s.xs[i] > 0) {
                        ticks.add(s.xs[i]);
                    }
                }
            }
            // Few points (connection counts): a label at each. Many (a sweep's rates): 1-2-5 ticks, which
            // do not collide.
            if (ticks.size() > MAX_POINT_TICKS) {
                ticks.clear();
                final double low = Math.pow(10, fx0);
                final double high = Math.pow(10, fx1);
                ticks.addAll(logTicks(low, high));
                ticks.removeIf(tick -> tick < low || tick > high);
            } else {
                for (int e = (int) Math.ceil(minX); e <= (int) Math.floor(maxX); e++) {
                    ticks.add(Math.pow(10, e));
                }
            }
            for (final double tick : ticks) {
                gridX(svg, px.applyAsDouble(tick), xFormat.apply(tick), plotH);
            }
        } else {
            final double step = niceStep((maxX - minX) / 8);
            for (long i = (long) Math.ceil(minX / step); i * step <= maxX + step / 1000; i++) {
                gridX(svg, px.applyAsDouble(i * step), xFormat.apply(i * step), plotH);
            }
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%.0f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
            LEFT + plotW / 2, HEIGHT - 8, HtmlReport.escape(xLabel)));
        svg.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%.0f\" text-anchor=\"middle\" "
            + "transform=\"rotate(-90 16 %.0f)\">%s</text>%n", TOP + plotH / 2, TOP + plotH / 2,
            HtmlReport.escape(yLabel)));
        int legendY = TOP + 14;
        for (final Level level : levels) {
            final double y = py.applyAsDouble(level.y);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\" stroke=\"%s\" "
                + "stroke-width=\"1.5\" stroke-dasharray=\"6,4\"/>%n", LEFT, y, LEFT + plotW, y, level.color));
            legendY = legend(svg, legendY, level.color, true, level.name);
        }
        for (final Series s : series) {
            final StringBuilder points = new StringBuilder();
            for (int i = 0; i <= s.xs.length; i++) {
                final boolean drawable = i < s.xs.length && !Double.isNaN(s.ys[i]) && !(logY && s.ys[i] <= 0)
                    && !(logX && s.xs[i] <= 0);
                if (drawable) {
                    final double x = px.applyAsDouble(s.xs[i]);
                    final double y = py.applyAsDouble(s.ys[i]);
                    points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                    if (s.flagged != null) {
                        svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" "
                            + "fill=\"%s\"/>%n", x, y, s.color));
                        if (s.flagged[i]) {
                            svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"8\" "
                                + "fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\"/>%n", x, y, s.color));
                        }
                    }
                    continue;
                }
                // A gap (or the end) closes the segment drawn so far.
                if (points.length() > 0) {
                    svg.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" "
                        + "stroke-width=\"2\"%s points=\"%s\"/>%n", s.color,
                        s.dashed ? " stroke-dasharray=\"6,4\"" : "", points.toString().trim()));
                    points.setLength(0);
                }
            }
            legendY = legend(svg, legendY, s.color, s.dashed, s.name);
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static int legend(final StringBuilder svg, final int legendY, final String color, final boolean dashed,
        final String name) {
        final double lx = WIDTH - RIGHT + 12;
        svg.append(String.format(Locale.ROOT, "<line x1=\"%.0f\" y1=\"%d\" x2=\"%.0f\" y2=\"%d\" stroke=\"%s\" "
            + "stroke-width=\"2\"%s/><text x=\"%.0f\" y=\"%d\">%s</text>%n", lx, legendY - 4, lx + 22,
            legendY - 4, color, dashed ? " stroke-dasharray=\"6,4\"" : "", lx + 28, legendY,
            HtmlReport.escape(name)));
        return legendY + 18;
    }

    /**
     * Ticks of a log axis covering {@code low..high}: 1-2-5 in each decade when the values span three
     * decades or fewer (so a span of 200 µs to 900 µs still gets labels), powers of ten beyond that. The
     * first tick is at or below {@code low}, the last at or above {@code high}.
     *
     * @param low  the smallest positive value
     * @param high the largest value
     * @return ascending ticks
     */
    static List<Double> logTicks(final double low, final double high) {
        final int first = (int) Math.floor(Math.log10(low));
        final int last = Math.max(first + 1, (int) Math.ceil(Math.log10(high)));
        final double[] mantissas = last - first <= 3 ? new double[] {1, 2, 5} : new double[] {1};
        final List<Double> all = new ArrayList<>();
        for (int e = first; e <= last; e++) {
            for (final double m : mantissas) {
                // Parsed from text so that 2e-1 is exactly the double 0.2 prints as, not 0.20000000000000004.
                all.add(Double.parseDouble(m + "e" + e));
            }
        }
        int from = 0;
        while (from + 1 < all.size() && all.get(from + 1) <= low) {
            from++;
        }
        int to = all.size() - 1;
        while (to - 1 > from && all.get(to - 1) >= high) {
            to--;
        }
        if (to == from) {
            to = Math.min(all.size() - 1, from + 1);
        }
        return List.copyOf(all.subList(from, to + 1));
    }

    private static void gridY(final StringBuilder svg, final double y, final String label, final double plotW) {
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
            + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT, y, LEFT + plotW, y, LEFT - 6,
            y + 4, label));
    }

    private static void gridX(final StringBuilder svg, final double x, final String label, final double plotH) {
        svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.0f\" stroke=\"#ddd\"/>"
            + "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\">%s</text>%n", x, TOP, x, TOP + plotH, x,
            TOP + plotH + 16, label));
    }

    static String percentileLabel(final int decade) {
        if (decade == 0) {
            return "0%";
        }
        if (decade == 1) {
            return "90%";
        }
        final StringBuilder label = new StringBuilder("99");
        if (decade > 2) {
            label.append('.');
            for (int i = 2; i < decade; i++) {
                label.append('9');
            }
        }
        return label.append('%').toString();
    }

    static double niceStep(final double rough) {
        if (rough <= 0) {
            return 1;
        }
        final double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
        final double fraction = rough / magnitude;
        final double nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
        return nice * magnitude;
    }

    private static double niceCeiling(final double value) {
        final double step = niceStep(value / 5);
        return Math.ceil(value / step) * step;
    }
}
