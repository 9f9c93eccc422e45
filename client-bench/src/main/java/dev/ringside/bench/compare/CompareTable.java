package dev.ringside.bench.compare;

import java.io.PrintStream;
import java.util.Locale;

import dev.ringside.bench.report.TextTable;
import dev.ringside.bench.sweep.SweepTable;

/**
 * The comparison as a text table, one row per cell, and the one-line form printed as each cell ends.
 * Latency is the corrected latency (receive − intended send); a value that does not exist for a cell is
 * {@code -}, and the last column says what happened.
 */
public final class CompareTable {
    private CompareTable() {
    }

    /**
     * Prints the table.
     *
     * @param comparison the results
     * @param out        where
     */
    public static void print(final Comparison comparison, final PrintStream out) {
        out.println("ringside compare: " + comparison.parameters().get("protocol") + ", "
            + comparison.parameters().get("load") + ", " + comparison.parameters().get("duration"));
        out.println("  " + comparison.parameters().get("pinning"));
        out.println();
        final TextTable table = new TextTable("model", "conns", "connected", "rate/s", "p50", "p99", "p99.9",
            "errors", "cpu/msg", "cpu%", "cs/msg", "rss", "threads", "what happened").leftAligned(13);
        for (final CompareCell cell : comparison.cells()) {
            final boolean ran = cell.result() != null;
            table.row(cell.model().label(), Integer.toString(cell.connections()),
                ran ? Long.toString(cell.established()) : "-",
                ran ? String.format(Locale.ROOT, "%.0f", cell.achievedRate()) : "-",
                latency(cell.latencyUs(50)), latency(cell.latencyUs(99)), latency(cell.latencyUs(99.9)),
                ran ? Long.toString(cell.errors()) : "-", SweepTable.cpu(cell.cpuUsPerReply()),
                SweepTable.percent(cell.cpuPercent()),
                switches(cell.switchesPerReply()), SweepTable.mebibytes(cell.peakRssBytes()),
                cell.maxThreads() < 0 ? "-" : Integer.toString(cell.maxThreads()),
                cell.note());
        }
        table.print(out, "");
        if (comparison.interruptedBy() != null) {
            out.println("INTERRUPTED by " + comparison.interruptedBy() + ": only the cells above finished");
        }
        out.println();
        out.println("  latency: corrected (receive - intended send), of the replies that came; cpu/msg: server CPU "
            + "time (user+sys, whole process tree, /proc/PID/stat) in the measurement window / replies in it;");
        out.println("  cpu%: of one CPU over the window; cs/msg: server context switches (all threads, voluntary + "
            + "involuntary, /proc/PID/task/*/status) in the window / replies;");
        out.println("  rss: peak resident memory (VmHWM) summed over the server's processes; threads: most seen at "
            + "once. Server output: " + comparison.logs());
        out.flush();
    }

    /**
     * @param cell a finished cell
     * @return it in one line
     */
    public static String oneLine(final CompareCell cell) {
        if (cell.result() == null) {
            return cell.model().label() + " x " + cell.connections() + ": " + cell.outcome().label() + ": "
                + cell.note();
        }
        return String.format(Locale.ROOT, "%s x %d: %d connected, %.0f/s, p50 %s p99 %s p99.9 %s, %d errors, "
            + "cpu %s/msg (%s), %s switches/msg, rss %s, %d threads: %s", cell.model().label(), cell.connections(),
            cell.established(), cell.achievedRate(), latency(cell.latencyUs(50)), latency(cell.latencyUs(99)),
            latency(cell.latencyUs(99.9)), cell.errors(), SweepTable.cpu(cell.cpuUsPerReply()),
            SweepTable.percent(cell.cpuPercent()), switches(cell.switchesPerReply()),
            SweepTable.mebibytes(cell.peakRssBytes()), cell.maxThreads(), cell.note());
    }

    /**
     * @param micros a latency in µs, or NaN
     * @return e.g. {@code 87us}, {@code 1.25ms}, {@code 2.00s}, or {@code -}
     */
    static String latency(final double micros) {
        if (Double.isNaN(micros)) {
            return "-";
        }
        if (micros < 1000) {
            return String.format(Locale.ROOT, "%.0fus", micros);
        }
        if (micros < 1_000_000) {
            return String.format(Locale.ROOT, "%.2fms", micros / 1000);
        }
        return String.format(Locale.ROOT, "%.2fs", micros / 1_000_000);
    }

    static String switches(final double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.2f", value);
    }
}
