package dev.ringside.bench.report;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

import dev.ringside.bench.record.BenchResult;
import dev.ringside.bench.record.ErrorKind;
import org.HdrHistogram.Histogram;

/**
 * The summary printed at the end of a run: parameters, connections, achieved vs target rate, requests,
 * errors by kind, the percentile table (corrected and uncorrected, in microseconds) and warnings.
 */
public final class TextSummary {
    private TextSummary() {
    }

    /**
     * Prints the summary.
     *
     * @param result       the run
     * @param out          where
     * @param distribution also print HdrHistogram's full percentile distribution of both histograms
     */
    public static void print(final BenchResult result, final PrintStream out, final boolean distribution) {
        out.println("ringside bench: " + result.description());
        for (final Map.Entry<String, String> parameter : result.parameters().entrySet()) {
            out.printf(Locale.ROOT, "  %-13s %s%n", parameter.getKey(), parameter.getValue());
        }
        out.println();
        out.printf(Locale.ROOT, "  %-13s %d established of %d%n", "connections", result.connectionsEstablished(),
            result.connectionsRequested());
        if (result.closedLoop()) {
            out.printf(Locale.ROOT, "  %-13s %.1f msg/s achieved (closed loop: no target)%n", "rate",
                result.achievedRate());
        } else if (result.targetRate() > 0) {
            out.printf(Locale.ROOT, "  %-13s %.1f msg/s achieved of %.1f target (%.1f%%)%n", "rate",
                result.achievedRate(), result.targetRate(), 100 * result.achievedRate() / result.targetRate());
        } else {
            out.printf(Locale.ROOT, "  %-13s %.1f msg/s achieved%n", "rate", result.achievedRate());
        }
        if (result.deliveriesExpected() >= 0) {
            out.printf(Locale.ROOT, "  %-13s %d lines published, %d of %d deliveries received%n", "chat",
                result.sent(), result.completed(), result.deliveriesExpected());
            if (result.chatOutOfOrder() > 0) {
                out.printf(Locale.ROOT, "  %-13s %d lines out of sequence%n", "", result.chatOutOfOrder());
            }
        } else {
            out.printf(Locale.ROOT, "  %-13s %d sent, %d completed in %.1f s%n", "requests", result.sent(),
                result.completed(), result.durationS());
        }
        out.printf(Locale.ROOT, "  %-13s %s%n", "errors", errorLine(result));
        if (!result.statusClasses().isEmpty()) {
            final StringBuilder line = new StringBuilder();
            new java.util.TreeMap<>(result.statusClasses()).forEach((name, count) -> line
                .append(line.length() == 0 ? "" : "  ")
                .append(name).append(' ').append(count));
            out.printf(Locale.ROOT, "  %-13s %s%n", "status", line);
        }
        if (result.udpReordered() > 0 || result.udpLate() > 0) {
            out.printf(Locale.ROOT, "  %-13s %d reordered, %d late (after counted lost)%n", "udp",
                result.udpReordered(), result.udpLate());
        }
        out.println();
        out.printf(Locale.ROOT, "  %-14s", "latency (us)");
        for (final String title : Percentiles.TITLES) {
            out.printf(Locale.ROOT, "%12s", title);
        }
        out.println();
        row(out, "corrected", result.corrected());
        row(out, "uncorrected", result.uncorrected());
        out.printf(Locale.ROOT, "  %d samples. corrected = receive - intended send time (coordinated omission "
            + "corrected);%n  uncorrected = receive - actual send time.%s%n", result.corrected().getTotalCount(),
            result.closedLoop() ? " Closed loop: the two are the same by construction." : "");
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
        out.flush();
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

    private static void row(final PrintStream out, final String label, final Histogram histogram) {
        out.printf(Locale.ROOT, "  %-14s", label);
        for (final double value : Percentiles.micros(histogram).values()) {
            out.printf(Locale.ROOT, "%12.3f", value);
        }
        out.println();
    }
}
