package dev.ringside.bench.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.ringside.bench.record.BenchResult;
import dev.ringside.bench.record.ErrorKind;
import dev.ringside.bench.record.IntervalStat;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * One self-contained HTML file: the summary, the percentile table, and three inline SVG charts (latency by
 * percentile on a log percentile axis, latency over time with p50/p99/max per interval, throughput over
 * time). No script, no style sheet or font from the network: it opens offline and renders in a headless
 * browser.
 */
public final class HtmlReport {
    /**
     * Intervals shorter than this (the window's ragged end; whole ones are 1 s) are left out of the throughput
     * chart: a few hundred milliseconds of replies make a noisy point that reads as a drop.
     */
    private static final double MIN_RATE_INTERVAL_S = 0.9;
    private HtmlReport() {
    }

    /**
     * @param result  a run
     * @param verdict its verdict lines (verdict first, then each SLO)
     * @return the HTML document
     */
    public static String render(final BenchResult result, final List<String> verdict) {
        final StringBuilder html = new StringBuilder(64 * 1024);
        html.append(head("ringside bench report"));
        html.append("<h1>ringside ").append(escape(result.info().command())).append("</h1>\n<p>")
            .append(escape(result.description())).append("</p>\n");
        for (final String line : verdict) {
            html.append("<div class=\"").append(line.contains("CLEAN") || line.contains(": met") ? "note" : "warn")
                .append("\">").append(escape(line.strip())).append("</div>\n");
        }
        for (final String warning : result.warnings()) {
            html.append("<div class=\"warn\">WARNING: ").append(escape(warning)).append("</div>\n");
        }
        html.append("<table>\n");
        for (final Map.Entry<String, String> parameter : result.info().display().entrySet()) {
            row(html, parameter.getKey(), parameter.getValue());
        }
        row(html, "connections", result.connectionsEstablished() + " established of "
            + result.connectionsRequested());
        row(html, "rate", String.format(Locale.ROOT, "%.1f msg/s achieved", result.achievedRate())
            + (result.targetRate() > 0 ? String.format(Locale.ROOT, " of %.1f target (%.1f%%)", result.targetRate(),
                100 * result.achievedRate() / result.targetRate()) : ""));
        if (result.deliveriesExpected() >= 0) {
            row(html, "chat", result.sent() + " lines published, " + result.completed() + " of "
                + result.deliveriesExpected() + " deliveries received");
        } else {
            row(html, "requests", result.sent() < 0 ? result.completed() + " completed"
                : result.sent() + " sent = " + result.completed() + " completed + " + result.requestErrors()
                    + " failed + " + result.inFlightAtEnd() + " in flight at the end");
        }
        row(html, "errors", TextSummary.errorLine(result));
        if (result.churn().reconnects() > 0) {
            row(html, "reconnects", result.churn().reconnects() + " (connections reopened after the server closed "
                + "them or an attempt failed)");
        }
        if (result.churn().opened() > 0) {
            row(html, "churn", String.format(Locale.ROOT, "%d connections opened in the window, %.1f/s",
                result.churn().opened(), result.churn().openedPerSecond(result.durationS())));
        }
        final String generator = TextSummary.generatorLine(result.generator());
        if (generator != null) {
            row(html, "generator", generator);
        }
        html.append("</table>\n");
        html.append("<h2>Latency (&micro;s)</h2>\n<table>\n<tr><th class=\"l\"></th>");
        for (final String title : Percentiles.TITLES) {
            html.append("<th>").append(title).append("</th>");
        }
        html.append("</tr>\n");
        percentileRow(html, "corrected", result.corrected());
        percentileRow(html, "uncorrected", result.uncorrected());
        final Histogram connects = result.churn().connectLatency();
        if (connects.getTotalCount() > 0) {
            percentileRow(html, "connect", connects);
        }
        html.append("</table>\n<p class=\"note\">").append(result.corrected().getTotalCount())
            .append(" samples. Corrected: receive &minus; intended send time (coordinated omission corrected, as "
                + "wrk2). Uncorrected: receive &minus; actual send time.");
        if (connects.getTotalCount() > 0) {
            html.append(" Connect: connect() call to established, of the ").append(connects.getTotalCount())
                .append(" connections opened in the window.");
        }
        html.append("</p>\n");
        html.append("<h2>Latency by percentile</h2>\n").append(percentileChart(result));
        html.append("<h2>Latency over time (corrected)</h2>\n").append(overTimeChart(result.intervals()));
        html.append("<h2>Throughput over time</h2>\n").append(throughputChart(result));
        final List<String> kinds = new ArrayList<>();
        for (final ErrorKind kind : ErrorKind.values()) {
            kinds.add(kind.label());
        }
        html.append("<p class=\"note\">Error kinds counted: ").append(escape(String.join(", ", kinds)))
            .append(". Generated ").append(Instant.now()).append(" by ringside.</p>\n</body>\n</html>\n");
        return html.toString();
    }

    /**
     * The start of a report page, up to and including {@code <body>}: every ringside report has the same
     * look. At most 1000 pixels wide.
     *
     * @param title the page title
     * @return the HTML
     */
    public static String head(final String title) {
        return head(title, 1000);
    }

    /**
     * The start of a report page, for a page with wider tables.
     *
     * @param title      the page title
     * @param maxWidthPx the page's width at most
     * @return the HTML
     */
    public static String head(final String title, final int maxWidthPx) {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            + "<title>" + escape(title) + "</title>\n<style>\n"
            + "body{font-family:sans-serif;margin:24px;color:#222;max-width:" + maxWidthPx + "px}"
            + "h1{font-size:22px}h2{font-size:17px;margin-top:28px}"
            + "table{border-collapse:collapse;margin:8px 0}td,th{padding:3px 10px;text-align:right}"
            + "th{background:#eee}td.l,th.l{text-align:left}"
            + ".warn{background:#fde8e8;border:1px solid #d33;padding:8px 12px;margin:8px 0;color:#900}"
            + ".note{color:#555;font-size:13px}\n</style>\n</head>\n<body>\n";
    }

    private static String percentileChart(final BenchResult result) {
        final SvgChart chart = new SvgChart("percentile", "latency").percentileAxis().latencyY().logYIfWide();
        addPercentiles(chart, "corrected", "#d62728", result.corrected(), false);
        addPercentiles(chart, "uncorrected", "#1f77b4", result.uncorrected(), true);
        addPercentiles(chart, "connect", "#2ca02c", result.churn().connectLatency(), true);
        return chart.render();
    }

    /**
     * Adds a histogram's latency-by-percentile curve to a chart made with {@link SvgChart#percentileAxis()}.
     *
     * @param chart     the chart
     * @param name      the line's legend
     * @param color     its colour
     * @param histogram latency in ns
     * @param dashed    whether the line is dashed
     */
    public static void addPercentiles(final SvgChart chart, final String name, final String color,
        final Histogram histogram, final boolean dashed) {
        if (histogram.getTotalCount() == 0) {
            return;
        }
        final List<double[]> points = new ArrayList<>();
        // The last level HdrHistogram reports is 100%, which the log axis cannot place: stop at 1 - 1/count.
        final double last = 100.0 * (1.0 - 1.0 / Math.max(2, histogram.getTotalCount()));
        for (final HistogramIterationValue value : histogram.percentiles(5)) {
            final double level = Math.min(value.getPercentileLevelIteratedTo(), last);
            points.add(new double[] {SvgChart.percentileX(level), value.getValueIteratedTo() / 1000.0});
            if (level >= last) {
                break;
            }
        }
        final double[] xs = new double[points.size()];
        final double[] ys = new double[points.size()];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = points.get(i)[0];
            ys[i] = points.get(i)[1];
        }
        chart.add(name, color, xs, ys, dashed);
    }

    private static String overTimeChart(final List<IntervalStat> intervals) {
        final int n = intervals.size();
        final double[] xs = new double[n];
        final double[] p50 = new double[n];
        final double[] p99 = new double[n];
        final double[] max = new double[n];
        for (int i = 0; i < n; i++) {
            final IntervalStat stat = intervals.get(i);
            xs[i] = stat.offsetS();
            p50[i] = stat.p50Ns() / 1000.0;
            p99[i] = stat.p99Ns() / 1000.0;
            max[i] = stat.maxNs() / 1000.0;
        }
        return new SvgChart("seconds into the measurement", "latency (log scale)").logY().latencyY()
            .add("max", "#7f7f7f", xs, max, false)
            .add("p99", "#d62728", xs, p99, false)
            .add("p50", "#2ca02c", xs, p50, false)
            .render();
    }

    private static String throughputChart(final BenchResult result) {
        // Only whole intervals of the window: the drain after it holds a few late replies, and a short last
        // piece holds a handful; either would be drawn as a cliff that the server never fell off.
        final List<IntervalStat> window = new ArrayList<>();
        final List<IntervalStat> intervals = new ArrayList<>();
        for (final IntervalStat stat : result.intervals()) {
            if (stat.offsetS() <= result.durationS() + 1e-6) {
                window.add(stat);
                if (stat.lengthS() >= MIN_RATE_INTERVAL_S) {
                    intervals.add(stat);
                }
            }
        }
        if (intervals.isEmpty()) {
            intervals.addAll(window); // a window shorter than one interval: its pieces are all there is
        }
        final int n = intervals.size();
        final double[] xs = new double[n];
        final double[] rate = new double[n];
        for (int i = 0; i < n; i++) {
            xs[i] = intervals.get(i).offsetS();
            rate[i] = intervals.get(i).ratePerSecond();
        }
        final SvgChart chart = new SvgChart("seconds into the measurement", "replies per second").countY()
            .add("achieved", "#1f77b4", xs, rate, false);
        if (result.targetRate() > 0 && n > 0) {
            chart.add("target", "#ff7f0e", new double[] {xs[0], xs[n - 1]},
                new double[] {result.targetRate(), result.targetRate()}, true);
        }
        return chart.render();
    }

    /**
     * Appends a label/value row of a two-column table.
     *
     * @param html  the page
     * @param label the left cell
     * @param value the right cell, escaped here
     */
    public static void row(final StringBuilder html, final String label, final String value) {
        html.append("<tr><td class=\"l\">").append(escape(label)).append("</td><td class=\"l\">")
            .append(escape(value)).append("</td></tr>\n");
    }

    private static void percentileRow(final StringBuilder html, final String label, final Histogram histogram) {
        html.append("<tr><td class=\"l\">").append(label).append("</td>");
        for (final double value : Percentiles.micros(histogram).values()) {
            html.append(String.format(Locale.ROOT, "<td>%.3f</td>", value));
        }
        html.append("</tr>\n");
    }

    /**
     * @param text any text
     * @return it, safe inside HTML and SVG
     */
    public static String escape(final String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
