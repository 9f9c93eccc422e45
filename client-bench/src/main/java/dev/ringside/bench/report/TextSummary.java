package dev.ringside.bench.report;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.ringside.bench.record.BenchResult;
import dev.ringside.bench.record.ConnectionChurn;
import dev.ringside.bench.record.ErrorKind;
import dev.ringside.bench.record.GeneratorHealth;
import org.HdrHistogram.Histogram;

/**
 * The summary printed at the end of a run: parameters, connections, achieved vs target rate, the request
 * accounting ({@code sent = completed + failed + in flight at the end}), errors by kind, the generator's duty
 * cycle, the percentile table (corrected and uncorrected, in microseconds, columns as wide as their values),
 * warnings, and last the verdict.
 */
public final class TextSummary {
    private TextSummary() {
    }

    /**
     * Prints the summary.
     *
     * @param result       the run
     * @param verdict      the verdict line and the SLO lines, printed last (empty: none)
     * @param out          where
     * @param distribution also print HdrHistogram's full percentile distribution of both histograms
     */
    public static void print(final BenchResult result, final List<String> verdict, final PrintStream out,
        final boolean distribution) {
        out.println("ringside " + result.info().command() + ": " + result.description());
        if (result.interrupted()) {
            out.printf(Locale.ROOT, "INTERRUPTED by %s: the figures cover the %.1f s measured before it%n",
                result.generator().interruptedBy(), result.durationS());
        }
        for (final Map.Entry<String, String> parameter : result.info().display().entrySet()) {
            out.printf(Locale.ROOT, "  %-13s %s%n", parameter.getKey(), parameter.getValue());
        }
        out.println();
        if (result.connectionsRequested() >= 0) {
            out.printf(Locale.ROOT, "  %-13s %d established of %d%n", "connections", result.connectionsEstablished(),
                result.connectionsRequested());
        }
        final ConnectionChurn churn = result.churn();
        if (churn.reconnects() > 0) {
            out.printf(Locale.ROOT, "  %-13s %d (connections reopened after the server closed them or an attempt "
                + "failed)%n", "reconnects", churn.reconnects());
        }
        if (churn.opened() > 0) {
            out.printf(Locale.ROOT, "  %-13s %d connections opened in the window, %.1f/s%n", "churn", churn.opened(),
                churn.openedPerSecond(result.durationS()));
        }
        if (result.closedLoop()) {
            out.printf(Locale.ROOT, "  %-13s %.1f msg/s achieved (closed loop: no target)%n", "rate",
                result.achievedRate());
        } else if (result.targetRate() > 0) {
            out.printf(Locale.ROOT, "  %-13s %.1f msg/s achieved of %.1f target (%.1f%%)%n", "rate",
                result.achievedRate(), result.targetRate(), 100 * result.achievedRate() / result.targetRate());
        } else {
            out.printf(Locale.ROOT, "  %-13s %.1f msg/s achieved%n", "rate", result.achievedRate());
        }
        if (result.chat()) {
            out.printf(Locale.ROOT, "  %-13s %d lines published, %d of %d deliveries received%n", "chat",
                result.sent(), result.completed(), result.deliveriesExpected());
            if (result.chatOutOfOrder() > 0) {
                out.printf(Locale.ROOT, "  %-13s %d lines out of sequence%n", "", result.chatOutOfOrder());
            }
        } else if (result.sent() < 0) {
            out.printf(Locale.ROOT, "  %-13s %d completed in %.1f s (sent, failed and in flight: not in the logs)%n",
                "requests", result.completed(), result.durationS());
        } else {
            out.printf(Locale.ROOT, "  %-13s %d sent = %d completed + %d failed + %d in flight at the end, in %.1f s"
                + "%n", "requests", result.sent(), result.completed(), result.requestErrors(), result.inFlightAtEnd(),
                result.durationS());
        }
        out.printf(Locale.ROOT, "  %-13s %s%n", "errors", errorLine(result));
        if (!result.statusClasses().isEmpty()) {
            final StringBuilder line = new StringBuilder();
            new java.util.TreeMap<>(result.statusClasses()).forEach((name, count) -> line
                .append(line.length() == 0 ? "" : "  ")
                .append(name).append(' ').append(count));
            out.printf(Locale.ROOT, "  %-13s %s%n", "status", line);
        }
        if (result.lateReplies() > 0) {
            out.printf(Locale.ROOT, "  %-13s %d (answers to requests that had already timed out or been counted "
                + "lost)%n", "late replies", result.lateReplies());
        }
        if (result.udpReordered() > 0) {
            out.printf(Locale.ROOT, "  %-13s %d replies overtook an earlier one%n", "udp reordered",
                result.udpReordered());
        }
        final String generator = generatorLine(result.generator());
        if (generator != null) {
            out.printf(Locale.ROOT, "  %-13s %s%n", "generator", generator);
        }
        for (final Map.Entry<String, String> source : result.sources().entrySet()) {
            out.printf(Locale.ROOT, "  %-13s %s%n", "from", source.getKey() + ": " + source.getValue());
        }
        out.println();
        final TextTable table = new TextTable(header());
        table.row(row("corrected", result.corrected()));
        table.row(row("uncorrected", result.uncorrected()));
        final boolean connects = churn.connectLatency().getTotalCount() > 0;
        if (connects) {
            table.row(row("connect", churn.connectLatency()));
        }
        table.print(out, "  ");
        out.printf(Locale.ROOT, "  %d samples. corrected = receive - intended send time (coordinated omission "
            + "corrected);%n  uncorrected = receive - actual send time.%s%n", result.corrected().getTotalCount(),
            result.closedLoop() ? " Closed loop: the two are the same by construction." : "");
        if (connects) {
            out.printf(Locale.ROOT, "  connect = connect() call to established, of the %d connections opened in the "
                + "window.%n", churn.connectLatency().getTotalCount());
        }
        if (distribution) {
            out.println();
            out.println("corrected latency distribution (us):");
            result.corrected().outputPercentileDistribution(out, 5, 1000.0);
            out.println();
            out.println("uncorrected latency distribution (us):");
            result.uncorrected().outputPercentileDistribution(out, 5, 1000.0);
        }
        for (final String warning : result.warnings()) {
            out.println("WARNING: " + warning);
        }
        for (final String line : verdict) {
            out.println(line);
        }
        out.flush();
    }

    /**
     * @param health the generator's figures
     * @return its duty cycle in words, or {@code null} when unknown
     */
    static String generatorLine(final GeneratorHealth health) {
        if (health.dutyCycles().isEmpty()) {
            return null;
        }
        final StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "loop busy %.0f%% of the window",
            100 * health.maxDutyCycle()));
        if (health.dutyCycles().size() > 1) {
            line.append(" at most (threads:");
            for (final double duty : health.dutyCycles()) {
                line.append(String.format(Locale.ROOT, " %.0f%%", 100 * duty));
            }
            line.append(')');
        }
        if (health.saturated()) {
            line.append(": saturated, the generator may limit the rate");
        }
        return line.toString();
    }

    /**
     * @param result a run
     * @return "0", or the total followed by the non-zero kinds
     */
    public static String errorLine(final BenchResult result) {
        final long total = result.errorTotal();
        if (total == 0) {
            return "0";
        }
        final StringBuilder line = new StringBuilder().append(total).append(" (");
        boolean first = true;
        for (final ErrorKind kind : ErrorKind.values()) {
            final long count = result.errorCount(kind);
            if (count > 0) {
                line.append(first ? "" : ", ").append(kind.label()).append(' ').append(count);
                first = false;
            }
        }
        return line.append(')').toString();
    }

    private static String[] header() {
        final String[] header = new String[Percentiles.TITLES.length + 1];
        header[0] = "latency (us)";
        System.arraycopy(Percentiles.TITLES, 0, header, 1, Percentiles.TITLES.length);
        return header;
    }

    private static String[] row(final String label, final Histogram histogram) {
        final String[] cells = new String[Percentiles.TITLES.length + 1];
        cells[0] = label;
        int i = 1;
        for (final double value : Percentiles.micros(histogram).values()) {
            cells[i++] = String.format(Locale.ROOT, "%.3f", value);
        }
        return cells;
    }
}
