package dev.ringside.bench.compare;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import dev.ringside.bench.report.HtmlReport;
import dev.ringside.bench.report.JsonSummary;
import dev.ringside.bench.report.Quantities;
import dev.ringside.bench.report.SvgChart;
import dev.ringside.bench.sweep.SweepJson;
import dev.ringside.bench.sweep.SweepReport;
import dev.ringside.bench.sweep.SweepTable;
import dev.ringside.bench.sweep.SweepStep;
import dev.ringside.bench.verdict.ExitStatus;
import dev.ringside.engine.model.ServerModel;

/**
 * What {@code compare --sweep} shows: every cell's steps with the server's cost per step (CPU per reply and
 * percent, memory, threads), then a table of each model's highest rate under the objectives (or, with none,
 * the most it achieved) per connection count, with what limited it; per connection count a knee chart (p99
 * against achieved rate, a line per model in its own colour, the objective as a dashed level) and the
 * server's CPU per reply against achieved rate; the same as text; and JSON holding every cell's whole sweep.
 */
public final class CompareSweepReport {
    private CompareSweepReport() {
    }

    /**
     * @param comparison the sweeps
     * @param out        where the table goes
     */
    public static void print(final SweepComparison comparison, final PrintStream out) {
        for (final SweepCell cell : comparison.cells()) {
            out.println(cell.model().label() + ", " + cell.connections() + " connections:");
            if (cell.outcome() == null) {
                out.println("  " + cell.note());
            } else {
                SweepTable.steps(cell.outcome(), out);
            }
            out.println();
        }
        out.println("ringside compare --sweep: " + headline(comparison) + "; objectives " + comparison.objectives());
        out.printf(Locale.ROOT, "  %-10s %7s %12s  %s%n", "model", "conns", "rate/s", "limited by");
        for (final SweepCell cell : comparison.cells()) {
            out.printf(Locale.ROOT, "  %-10s %7d %12s  %s%n", cell.model().label(), cell.connections(),
                rate(cell), cell.limit());
        }
        if (comparison.interruptedBy() != null) {
            out.println("INTERRUPTED by " + comparison.interruptedBy() + ": only the steps above finished");
        }
    }

    /**
     * @param comparison the sweeps
     * @return its exit status: 0, or 130/143 when a signal stopped it
     */
    public static int exitStatus(final SweepComparison comparison) {
        return comparison.interruptedBy() == null ? ExitStatus.CLEAN : ExitStatus.forSignal(comparison.interruptedBy());
    }

    /**
     * @param comparison the sweeps
     * @return the closing line, e.g. {@code verdict: COMPLETE (exit 0)}
     */
    public static String verdictLine(final SweepComparison comparison) {
        return "verdict: " + (comparison.interruptedBy() == null ? "COMPLETE" : "INTERRUPTED") + " (exit "
            + exitStatus(comparison) + ")" + (comparison.interruptedBy() == null ? "" : ": " + reason(comparison));
    }

    private static String reason(final SweepComparison comparison) {
        return "interrupted by " + comparison.interruptedBy() + " after " + comparison.cells().size()
            + " cells (the last one partial); the step under way was left out";
    }

    /**
     * @param comparison the sweeps
     * @return the JSON document: the compare settings and, per cell, its model, connections, headline rate,
     *         limit and whole sweep (as {@code ringside sweep --json} writes it)
     */
    public static String toJson(final SweepComparison comparison) {
        final Map<String, Object> root = JsonSummary.header(comparison.argv(), -1);
        root.put("parameters", comparison.parameters());
        root.put("objectives", comparison.objectives());
        root.put("verdict", JsonSummary.map("exitCode", exitStatus(comparison), "status",
            comparison.interruptedBy() == null ? "COMPLETE" : "INTERRUPTED", "reasons",
            comparison.interruptedBy() == null ? List.of() : List.of(reason(comparison))));
        root.put("interrupted", comparison.interruptedBy());
        final List<Object> cells = new ArrayList<>();
        for (final SweepCell cell : comparison.cells()) {
            final Map<String, Object> map = new LinkedHashMap<>();
            map.put("model", cell.model().label());
            map.put("connections", cell.connections());
            map.put("highestRate", cell.highestRate());
            map.put("limitedBy", cell.limit());
            map.put("note", cell.note());
            map.put("sweep", cell.outcome() == null ? null : SweepJson.tree(cell.outcome()));
            cells.add(map);
        }
        root.put("cells", cells);
        root.put("logs", comparison.logs());
        return JsonSummary.render(root);
    }

    /**
     * @param comparison the sweeps
     * @return the HTML document
     */
    public static String render(final SweepComparison comparison) {
        final StringBuilder html = new StringBuilder(64 * 1024);
        html.append(HtmlReport.head("ringside compare --sweep report", 1200));
        html.append("<h1>ringside compare --sweep</h1>\n<p><code>")
            .append(HtmlReport.escape(String.join(" ", comparison.argv()))).append("</code></p>\n<table>\n");
        for (final Map.Entry<String, String> entry : comparison.parameters().entrySet()) {
            HtmlReport.row(html, entry.getKey(), entry.getValue());
        }
        html.append("</table>\n");
        if (comparison.interruptedBy() != null) {
            html.append("<div class=\"warn\"><b>INTERRUPTED</b>: ").append(HtmlReport.escape(reason(comparison)))
                .append(".</div>\n");
        }
        html.append("<h2>").append(HtmlReport.escape(headline(comparison))).append("</h2>\n");
        table(html, comparison);
        final List<Integer> counts = new ArrayList<>();
        for (final SweepCell cell : comparison.cells()) {
            if (!counts.contains(cell.connections())) {
                counts.add(cell.connections());
            }
        }
        for (final int count : counts) {
            html.append("<h2>The knee at ").append(count).append(" connections: p99 vs achieved rate</h2>\n")
                .append(kneeChart(comparison, count));
            html.append("<h2>Server CPU per reply at ").append(count).append(" connections</h2>\n")
                .append(cpuChart(comparison, count));
        }
        html.append("<h2>Every step, with the server's cost</h2>\n");
        for (final SweepCell cell : comparison.cells()) {
            html.append("<h3 style=\"color:").append(CompareReport.color(cell.model())).append("\">")
                .append(cell.model().label()).append(", ").append(cell.connections()).append(" connections</h3>\n");
            if (cell.outcome() == null) {
                html.append("<p class=\"warn\">").append(HtmlReport.escape(cell.note())).append("</p>\n");
            } else {
                SweepReport.stepTable(html, cell.outcome());
            }
        }
        html.append("<p class=\"note\">Each point is a step of that model's sweep, at the rate it achieved "
            + "(corrected p99); a ringed point missed an objective or was overloaded. Each model × connection "
            + "count ran against a fresh server. Server cost per step: CPU time (user + system, whole process tree, "
            + "/proc/PID/stat) in the step's window per reply in it, and in percent of one CPU; rss: the most "
            + "resident memory (VmRSS) seen during the step; threads: the most seen. Generated ")
            .append(Instant.now()).append(" by ringside.</p>\n"
                + "</body>\n</html>\n");
        return html.toString();
    }

    private static String headline(final SweepComparison comparison) {
        return "none".equals(comparison.objectives()) ? "The most each model achieved"
            : "Highest rate under the SLO (" + comparison.objectives() + ")";
    }

    private static String rate(final SweepCell cell) {
        return Double.isNaN(cell.highestRate()) ? "-" : Quantities.count(cell.highestRate());
    }

    private static void table(final StringBuilder html, final SweepComparison comparison) {
        final List<Integer> counts = new ArrayList<>();
        final List<ServerModel> models = new ArrayList<>();
        for (final SweepCell cell : comparison.cells()) {
            if (!counts.contains(cell.connections())) {
                counts.add(cell.connections());
            }
            if (!models.contains(cell.model())) {
                models.add(cell.model());
            }
        }
        html.append("<table>\n<tr><th class=\"l\">model</th>");
        for (final int count : counts) {
            html.append("<th>").append(count).append(" conns (msg/s)</th>");
        }
        html.append("</tr>\n");
        for (final ServerModel model : models) {
            html.append("<tr><td class=\"l\" style=\"color:").append(CompareReport.color(model)).append("\"><b>")
                .append(model.label()).append("</b></td>");
            for (final int count : counts) {
                final SweepCell cell = find(comparison, model, count);
                html.append("<td>");
                if (cell != null) {
                    html.append("<b>").append(HtmlReport.escape(rate(cell))).append("</b><br><span class=\"note\">")
                        .append(HtmlReport.escape(cell.limit())).append("</span>");
                }
                html.append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</table>\n");
    }

    private static SweepCell find(final SweepComparison comparison, final ServerModel model, final int count) {
        for (final SweepCell cell : comparison.cells()) {
            if (cell.model() == model && cell.connections() == count) {
                return cell;
            }
        }
        return null;
    }

    private static String cpuChart(final SweepComparison comparison, final int count) {
        final SvgChart chart = new SvgChart("achieved rate (msg/s)", "server CPU per reply (µs)").countX();
        addModels(chart, comparison, count, step -> step.server() == null ? Double.NaN
            : step.server().cpuUsPerMessage());
        return chart.render();
    }

    private static String kneeChart(final SweepComparison comparison, final int count) {
        final SvgChart chart = new SvgChart("achieved rate (msg/s)", "p99 latency, corrected").countX().latencyY()
            .logYIfWide();
        Map<String, Double> limits = Map.of();
        for (final SweepCell cell : comparison.cells()) {
            if (cell.connections() == count && cell.outcome() != null) {
                limits = cell.outcome().latencyLimitsUs();
            }
        }
        addModels(chart, comparison, count, step -> step.latency("p99"));
        for (final Map.Entry<String, Double> limit : limits.entrySet()) {
            chart.addLevel("SLO " + limit.getKey() + " " + Quantities.micros(limit.getValue()), "#000",
                limit.getValue());
        }
        return chart.render();
    }

    /**
     * Adds a line per model at this connection count: each step that has a value, at the rate it achieved, ringed
     * when it missed.
     */
    private static void addModels(final SvgChart chart, final SweepComparison comparison, final int count,
        final ToDoubleFunction<SweepStep> value) {
        for (final SweepCell cell : comparison.cells()) {
            if (cell.connections() != count || cell.outcome() == null) {
                continue;
            }
            final List<SweepStep> steps = new ArrayList<>();
            for (final SweepStep step : cell.outcome().byRate()) {
                if (!Double.isNaN(value.applyAsDouble(step))) {
                    steps.add(step);
                }
            }
            final double[] xs = new double[steps.size()];
            final double[] ys = new double[steps.size()];
            final boolean[] flagged = new boolean[steps.size()];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = steps.get(i).achievedRate();
                ys[i] = value.applyAsDouble(steps.get(i));
                flagged[i] = !steps.get(i).met();
            }
            chart.addMarked(cell.model().label(), CompareReport.color(cell.model()), xs, ys, flagged);
        }
    }
}
