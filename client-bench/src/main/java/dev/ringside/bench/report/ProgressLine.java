package dev.ringside.bench.report;

import java.io.PrintStream;
import java.util.Locale;

import dev.ringside.bench.record.IntervalListener;
import dev.ringside.bench.record.IntervalSample;

/**
 * The once-a-second progress line on stderr: elapsed time, phase, connections up, the interval's achieved
 * rate, its corrected p50 and p99, the errors so far, and (when there are any) the reconnects so far and the
 * connections opened per second in the interval. On a terminal it is one line rewritten in place;
 * otherwise (a pipe, a CI log) each interval is a line of its own.
 */
public final class ProgressLine implements IntervalListener, AutoCloseable {
    private final PrintStream out;
    private final boolean terminal;
    private boolean pending;

    /**
     * Creates the progress line.
     *
     * @param out      where to write (stderr)
     * @param terminal whether to rewrite one line in place
     */
    public ProgressLine(final PrintStream out, final boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** @return whether this process's output is a terminal (both stdin and stdout are, for the JDK) */
    public static boolean isTerminal() {
        final java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            // JDK 22+ may return a console even when redirected; it then says whether it is a terminal.
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (final NoSuchMethodException ex) {
            return true; // JDK 17-21: a console exists only for a terminal
        } catch (final ReflectiveOperationException | RuntimeException ex) {
            return false;
        }
    }

    @Override
    public void onInterval(final IntervalSample sample) {
        final String line = format(sample);
        if (terminal) {
            out.print("\r" + line + "\u001b[K");
            pending = true;
        } else {
            out.println(line);
        }
        out.flush();
    }

    /**
     * Formats one interval.
     *
     * @param sample the interval
     * @return the line, without a line break
     */
    public static String format(final IntervalSample sample) {
        final String phase;
        switch (sample.phase()) {
            case CONNECTING:
                phase = "connecting";
                break;
            case WARMUP:
                phase = "warm-up";
                break;
            case MEASURING:
                phase = "measuring";
                break;
            default:
                phase = "draining";
                break;
        }
        final StringBuilder line = new StringBuilder(128);
        line.append(String.format(Locale.ROOT, "[%6.1fs] %-10s conns %d/%d", sample.elapsedS(), phase,
            sample.connectionsOpen(), sample.connectionsRequested()));
        if (sample.phase() == IntervalSample.Phase.CONNECTING) {
            line.append(String.format(Locale.ROOT, "  attempts done %d", sample.connectsResolved()));
        } else {
            line.append(String.format(Locale.ROOT, "  rate %9.0f/s  p50 %s  p99 %s", sample.ratePerSecond(),
                micros(sample.corrected().getTotalCount() == 0 ? -1 : sample.corrected().getValueAtPercentile(50)),
                micros(sample.corrected().getTotalCount() == 0 ? -1 : sample.corrected().getValueAtPercentile(99))));
        }
        line.append("  errors ").append(sample.errorsTotal());
        if (sample.reconnects() > 0) {
            line.append("  reconnects ").append(sample.reconnects());
        }
        if (sample.opened() > 0) {
            line.append(String.format(Locale.ROOT, "  opened %.0f/s", sample.openedPerSecond()));
        }
        return line.toString();
    }

    private static String micros(final long ns) {
        if (ns < 0) {
            return String.format(Locale.ROOT, "%10s", "-");
        }
        return String.format(Locale.ROOT, "%8.1fus", ns / 1000.0);
    }

    /** Ends the refreshing line so that what follows starts on a line of its own. */
    @Override
    public void close() {
        if (pending) {
            out.println();
            out.flush();
            pending = false;
        }
    }
}
