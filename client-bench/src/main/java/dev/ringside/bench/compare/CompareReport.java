package dev.ringside.bench.compare;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import dev.ringside.bench.report.HtmlReport;
import dev.ringside.bench.report.Palette;
import dev.ringside.bench.report.SvgChart;
import dev.ringside.bench.sweep.SweepTable;
import dev.ringside.engine.model.ServerModel;

/**
 * The comparison as one self-contained HTML page, drawn with the bench report's own chart code: the table,
 * then p99 latency, server CPU and context switches per reply, server peak memory, server threads and
 * achieved rate against the
 * connection count (log scale), one line per model. A point ringed in its model's colour is a cell that
 * fell short (the table says how); a missing point is a cell with no such number.
 */
public final class CompareReport {
    private CompareReport() {
    }

    /**
     * @param model a server model
     * @return its colour: distinct for every model, the same in every report
     */
    public static String color(final ServerModel model) {
        return Palette.categorical(model.ordinal());
    }

    /**
     * @param comparison the results
     * @return the HTML document
     */
    public static String render(final Comparison comparison) {
        final StringBuilder html = new StringBuilder(64 * 1024);
        html.append(HtmlReport.head("ringside compare report", 1300));
        html.append("<h1>ringside compare</h1>\n<p><code>").append(HtmlReport.escape(comparison.command()))
            .append("</code></p>\n<table>\n");
        for (final Map.Entry<String, String> entry : comparison.parameters().entrySet()) {
            HtmlReport.row(html, entry.getKey(), entry.getValue());
        }
        for (final Map.Entry<String, Object> entry : comparison.machine().entrySet()) {
            HtmlReport.row(html, entry.getKey(), String.valueOf(entry.getValue()));
        }
        html.append("</table>\n<h2>Results</h2>\n");
        table(html, comparison.cells());
        html.append("<p class=\"note\">Latency is corrected (receive &minus; intended send), over the replies that "
            + "came. cpu/msg: server CPU time (user + system, the whole process tree, from /proc/PID/stat) in the "
            + "measurement window divided by the replies in it. cs/msg: server context switches (every thread, "
            + "voluntary and involuntary, /proc/PID/task/*/status) in the window per reply. rss: peak resident "
            + "memory (VmHWM) summed over the "
            + "server's processes. threads: the most seen at once. Each cell runs a fresh server process.</p>\n");
        html.append("<h2>p99 latency vs connections</h2>\n").append(chart(comparison.cells(),
            "p99 latency (log scale)", true, cell -> cell.latencyUs(99)).latencyY().render());
        html.append("<h2>Server CPU per reply vs connections</h2>\n").append(chart(comparison.cells(),
            "server CPU per reply (log scale)", true, CompareCell::cpuUsPerReply).latencyY().render());
        html.append("<h2>Server context switches per reply vs connections</h2>\n").append(chart(comparison.cells(),
            "context switches per reply (log scale)", true, CompareCell::switchesPerReply).render());
        html.append("<h2>Server peak memory vs connections</h2>\n").append(chart(comparison.cells(),
            "peak RSS (MiB)", false, cell -> cell.peakRssBytes() < 0 ? Double.NaN
                : cell.peakRssBytes() / (1024.0 * 1024.0)).render());
        html.append("<h2>Server threads vs connections</h2>\n").append(chart(comparison.cells(),
            "threads (log scale)", true, cell -> cell.maxThreads() < 0 ? Double.NaN : cell.maxThreads()).countY()
            .render());
        html.append("<h2>Achieved rate vs connections</h2>\n").append(chart(comparison.cells(),
            "replies per second", false, CompareCell::achievedRate).countY().render());
        html.append("<p class=\"note\">A ringed point is a cell that fell short (connections, rate or errors; see "
            + "the table). Generated ").append(Instant.now()).append(" by ringside.</p>\n</body>\n</html>\n");
        return html.toString();
    }

    private static void table(final StringBuilder html, final List<CompareCell> cells) {
        html.append("<table>\n<tr><th class=\"l\">model</th><th>conns</th><th>connected</th><th>rate/s</th>"
            + "<th>p50</th><th>p99</th><th>p99.9</th><th>errors</th><th>cpu/msg</th><th>cpu%</th><th>cs/msg</th>"
            + "<th>rss</th>"
            + "<th>threads</th><th class=\"l\">what happened</th></tr>\n");
        for (final CompareCell cell : cells) {
            final boolean ran = cell.result() != null;
            html.append(cell.flagged() ? "<tr style=\"background:#fde8e8\">" : "<tr>")
                .append("<td class=\"l\">").append(cell.model().label()).append("</td>");
            cells(html, Integer.toString(cell.connections()), ran ? Long.toString(cell.established()) : "-",
                ran ? String.format(Locale.ROOT, "%.0f", cell.achievedRate()) : "-",
                CompareTable.latency(cell.latencyUs(50)), CompareTable.latency(cell.latencyUs(99)),
                CompareTable.latency(cell.latencyUs(99.9)), ran ? Long.toString(cell.errors()) : "-",
                SweepTable.cpu(cell.cpuUsPerReply()), SweepTable.percent(cell.cpuPercent()),
                CompareTable.switches(cell.switchesPerReply()), SweepTable.mebibytes(cell.peakRssBytes()),
                cell.maxThreads() < 0 ? "-" : Integer.toString(cell.maxThreads()));
            html.append("<td class=\"l\">").append(HtmlReport.escape(cell.note())).append("</td></tr>\n");
        }
        html.append("</table>\n");
    }

    private static void cells(final StringBuilder html, final String... values) {
        for (final String value : values) {
            html.append("<td>").append(HtmlReport.escape(value)).append("</td>");
        }
    }

    private static SvgChart chart(final List<CompareCell> cells, final String yLabel, final boolean logY,
        final ToDoubleFunction<CompareCell> value) {
        final SvgChart chart = new SvgChart("connections (log scale)", yLabel).logX();
        if (logY) {
            chart.logY();
        }
        final List<ServerModel> models = new ArrayList<>();
        for (final CompareCell cell : cells) {
            if (!models.contains(cell.model())) {
                models.add(cell.model());
            }
        }
        for (final ServerModel model : models) {
            final List<CompareCell> line = new ArrayList<>();
            for (final CompareCell cell : cells) {
                if (cell.model() == model) {
                    line.add(cell);
                }
            }
            line.sort(java.util.Comparator.comparingInt(CompareCell::connections));
            final double[] xs = new double[line.size()];
            final double[] ys = new double[line.size()];
            final boolean[] flagged = new boolean[line.size()];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = line.get(i).connections();
                ys[i] = value.applyAsDouble(line.get(i));
                flagged[i] = line.get(i).flagged();
            }
            chart.addMarked(model.label(), color(model), xs, ys, flagged);
        }
        return chart;
    }
}
