package dev.ringside.bench.sweep;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.ringside.bench.report.HtmlReport;
import dev.ringside.bench.report.Palette;
import dev.ringside.bench.report.Quantities;
import dev.ringside.bench.report.SvgChart;

/**
 * The sweep as one self-contained HTML page: the answer (for a search), the settings, the table of steps,
 * latency against achieved throughput (one line per percentile, the objectives as dashed levels), achieved
 * against target rate, and each step's latency-by-percentile curve (cool colours for light load, hot for
 * heavy).
 */
public final class SweepReport {
    /** Percentiles drawn against throughput, with the colour each keeps in every ringside chart. */
    private static final String[][] LINES = {
        {"p50", "p50", "#2ca02c"}, {"p90", "p90", "#1f77b4"}, {"p99", "p99", "#d62728"},
        {"p999", "p99.9", "#9467bd"}, {"max", "max", "#7f7f7f"}};

    private SweepReport() {
    }

    /**
     * @param outcome the sweep
     * @return the HTML document
     */
    public static String render(final SweepOutcome outcome) {
        final StringBuilder html = new StringBuilder(64 * 1024);
        html.append(HtmlReport.head("ringside sweep report", 1100));
        html.append("<h1>ringside sweep</h1>\n<p><code>").append(HtmlReport.escape(String.join(" ", outcome.argv())))
            .append("</code></p>\n<p>").append(HtmlReport.escape(outcome.description())).append("</p>\n");
        if (outcome.search() != null) {
            html.append("<div class=\"").append(outcome.search().bracketed() ? "note" : "warn")
                .append("\" style=\"font-size:15px;color:#222\"><b>Answer.</b> ")
                .append(HtmlReport.escape(outcome.search().conclusion())).append("</div>\n");
        }
        if (outcome.interruptedBy() != null) {
            html.append("<div class=\"warn\"><b>INTERRUPTED</b> by ").append(HtmlReport.escape(
                outcome.interruptedBy())).append(": only the steps below finished; the step under way was left "
                    + "out.</div>\n");
        }
        final String stopped = outcome.stoppedEarly();
        if (stopped != null) {
            html.append("<p class=\"note\">The sweep ").append(HtmlReport.escape(stopped)).append(".</p>\n");
        }
        html.append("<table>\n");
        for (final Map.Entry<String, String> parameter : outcome.parameters().entrySet()) {
            HtmlReport.row(html, parameter.getKey(), parameter.getValue());
        }
        HtmlReport.row(html, "objectives", outcome.objectives());
        html.append("</table>\n<h2>Steps</h2>\n");
        stepTable(html, outcome);
        html.append("<h2>Latency vs throughput</h2>\n").append(latencyChart(outcome));
        html.append("<p class=\"note\">Each point is a step, at the rate it achieved; the line joins the steps "
            + "in order of the rate asked for, so an overloaded step can fold back to the left.</p>\n");
        html.append("<h2>Achieved vs target rate</h2>\n").append(rateChart(outcome));
        html.append("<h2>Latency by percentile, per step</h2>\n").append(percentileChart(outcome));
        html.append("<p class=\"note\">Latency is corrected for coordinated omission (receive &minus; intended "
            + "send time). A step is overloaded when it achieved under ")
            .append(String.format(Locale.ROOT, "%.0f%%", 100 * StepJudge.RATE_FLOOR))
            .append(" of its target rate or missed an objective by a wide margin; the sweep stops after it. "
                + "Generated ").append(Instant.now()).append(" by ringside.</p>\n</body>\n</html>\n");
        return html.toString();
    }

    /**
     * Appends the steps as a table by target rate, the answer highlighted, with the server's cost columns
     * when it was measured.
     *
     * @param html    where
     * @param outcome the sweep
     */
    public static void stepTable(final StringBuilder html, final SweepOutcome outcome) {
        final boolean costed = SweepTable.costed(outcome);
        html.append("<table>\n<tr><th>target/s</th><th>achieved/s</th>");
        for (final String[] line : LINES) {
            html.append("<th>").append(line[1]).append("</th>");
        }
        html.append("<th>errors</th><th>gen duty</th>").append(costed ? "<th>server cpu/msg</th><th>server cpu"
            + "</th><th>server rss</th><th>server threads</th>" : "").append("<th class=\"l\">verdict</th></tr>\n");
        for (final SweepStep step : outcome.byRate()) {
            final boolean answer = outcome.search() != null && outcome.search().met() == step;
            html.append(answer ? "<tr style=\"background:#e4f4e4;font-weight:bold\">"
                : step.met() ? "<tr>" : "<tr style=\"background:#fde8e8\">");
            cell(html, Quantities.count(step.targetRate()));
            cell(html, Quantities.count(step.achievedRate()));
            for (final String[] line : LINES) {
                cell(html, Quantities.micros(step.latency(line[0])));
            }
            cell(html, Long.toString(step.errors()));
            cell(html, Double.isNaN(step.generatorDutyCycle()) ? "-"
                : String.format(Locale.ROOT, "%.0f%%", 100 * step.generatorDutyCycle()));
            if (costed) {
                final ServerCost cost = step.server();
                cell(html, cost == null ? "-" : SweepTable.cpu(cost.cpuUsPerMessage()).replace("us", " µs"));
                cell(html, cost == null ? "-" : SweepTable.percent(cost.cpuPercent()));
                cell(html, cost == null ? "-" : SweepTable.mebibytes(cost.rssBytes()).replace("MiB", " MiB"));
                cell(html, cost == null || cost.threads() < 0 ? "-" : Integer.toString(cost.threads()));
            }
            html.append("<td class=\"l\">").append(HtmlReport.escape((answer ? "answer: " : "") + step.verdict()))
                .append("</td></tr>\n");
        }
        html.append("</table>\n");
    }

    private static void cell(final StringBuilder html, final String value) {
        html.append("<td>").append(HtmlReport.escape(value)).append("</td>");
    }

    private static String latencyChart(final SweepOutcome outcome) {
        final List<SweepStep> steps = measured(outcome);
        final SvgChart chart = new SvgChart(axisTitle(steps, "achieved rate (msg/s"), "latency, corrected")
            .countX().latencyY().logYIfWide();
        if (spansDecade(steps)) {
            chart.logX();
        }
        final double[] xs = new double[steps.size()];
        final boolean[] flagged = new boolean[steps.size()];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = steps.get(i).achievedRate();
            flagged[i] = !steps.get(i).met();
        }
        for (int l = LINES.length - 1; l >= 0; l--) {
            final double[] ys = new double[steps.size()];
            for (int i = 0; i < ys.length; i++) {
                ys[i] = steps.get(i).latency(LINES[l][0]);
            }
            chart.addMarked(LINES[l][1], LINES[l][2], xs, ys, flagged);
        }
        for (final Map.Entry<String, Double> limit : outcome.latencyLimitsUs().entrySet()) {
            chart.addLevel("SLO " + limit.getKey() + " " + Quantities.micros(limit.getValue()), "#000",
                limit.getValue());
        }
        return chart.render();
    }

    private static String rateChart(final SweepOutcome outcome) {
        final List<SweepStep> steps = measured(outcome);
        final SvgChart chart = new SvgChart(axisTitle(steps, "target rate (msg/s"), "achieved rate (msg/s)")
            .countX().countY();
        if (spansDecade(steps)) {
            chart.logX();
        }
        final double[] xs = new double[steps.size()];
        final double[] ys = new double[steps.size()];
        final boolean[] flagged = new boolean[steps.size()];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = steps.get(i).targetRate();
            ys[i] = steps.get(i).achievedRate();
            flagged[i] = !steps.get(i).met();
        }
        if (xs.length > 0) {
            chart.add("target", "#7f7f7f", new double[] {xs[0], xs[xs.length - 1]},
                new double[] {xs[0], xs[xs.length - 1]}, true);
        }
        return chart.addMarked("achieved", "#1f77b4", xs, ys, flagged).render();
    }

    private static String percentileChart(final SweepOutcome outcome) {
        final SvgChart chart = new SvgChart("percentile", "latency, corrected").percentileAxis().latencyY()
            .logYIfWide();
        final List<SweepStep> steps = new ArrayList<>();
        for (final SweepStep step : outcome.byRate()) {
            if (step.result() != null && step.result().corrected().getTotalCount() > 0) {
                steps.add(step);
            }
        }
        for (int i = 0; i < steps.size(); i++) {
            final SweepStep step = steps.get(i);
            HtmlReport.addPercentiles(chart, Quantities.count(step.targetRate()) + " msg/s", Palette.ramp(i,
                steps.size()), step.result().corrected(), false);
        }
        for (final Map.Entry<String, Double> limit : outcome.latencyLimitsUs().entrySet()) {
            chart.addLevel("SLO " + limit.getKey() + " " + Quantities.micros(limit.getValue()), "#000",
                limit.getValue());
        }
        return chart.render();
    }

    private static List<SweepStep> measured(final SweepOutcome outcome) {
        final List<SweepStep> steps = new ArrayList<>();
        for (final SweepStep step : outcome.byRate()) {
            if (!step.latencyUs().isEmpty()) {
                steps.add(step);
            }
        }
        return steps;
    }

    private static boolean spansDecade(final List<SweepStep> steps) {
        return steps.size() > 1 && steps.get(steps.size() - 1).targetRate() >= 10 * steps.get(0).targetRate();
    }

    private static String axisTitle(final List<SweepStep> steps, final String start) {
        return start + (spansDecade(steps) ? ", log scale)" : ")");
    }
}
