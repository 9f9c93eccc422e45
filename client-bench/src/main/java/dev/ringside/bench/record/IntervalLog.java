package dev.ringside.bench.record;

import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

/**
 * Writes a run's measured intervals as an HdrHistogram interval log ({@code .hlog}): an absolute start time,
 * a base time, then one line per interval for the corrected histogram (untagged, so HdrHistogram's own
 * {@code HistogramLogProcessor} reads it by default) and one tagged {@value #UNCORRECTED_TAG} for the
 * uncorrected histogram (read with its {@code -tag uncorrected}). Values are nanoseconds. A closing comment
 * holds the run's totals so that {@code ringside merge} can sum them across hosts.
 */
public final class IntervalLog implements AutoCloseable {
    /** Tag of the uncorrected histograms. */
    public static final String UNCORRECTED_TAG = "uncorrected";
    /** Tag of the whole run's connect-latency histogram, written once before the totals. */
    public static final String CONNECT_TAG = "connect";
    /** Prefix of the closing comment with the run's totals. */
    public static final String SUMMARY_PREFIX = "#[ringside-summary:";
    /** Prefix of the comment written after every interval, every phase: where the run stands. */
    public static final String PROGRESS_PREFIX = "#[ringside-interval:";
    /** How the first line of a log written by Ringside starts (a comment naming the run). */
    public static final String HEADER_PREFIX = "#ringside ";

    private final PrintStream stream;
    private final HistogramLogWriter writer;
    private final long baseEpochMs;
    private boolean closed;

    /**
     * Creates the log and writes its header.
     *
     * @param file        where
     * @param baseEpochMs absolute start time, ms since the epoch; interval times are relative to it
     * @param comment     one line describing the run
     * @throws FileNotFoundException when the file cannot be created
     */
    public IntervalLog(final Path file, final long baseEpochMs, final String comment) throws FileNotFoundException {
        this.stream = new PrintStream(new FileOutputStream(file.toFile()), false, StandardCharsets.US_ASCII);
        this.writer = new HistogramLogWriter(stream);
        this.baseEpochMs = baseEpochMs;
        stream.println(HEADER_PREFIX + comment.replace('\n', ' '));
        writer.outputLogFormatVersion();
        writer.outputStartTime(baseEpochMs);
        writer.outputBaseTime(baseEpochMs);
        writer.setBaseTime(baseEpochMs);
        writer.outputLegend();
        stream.flush();
    }

    /**
     * Appends one interval.
     *
     * @param corrected    the interval's corrected histogram (ns)
     * @param uncorrected  the interval's uncorrected histogram (ns)
     * @param startEpochMs interval start
     * @param endEpochMs   interval end
     */
    public void write(final Histogram corrected, final Histogram uncorrected, final long startEpochMs,
        final long endEpochMs) {
        final double startS = (startEpochMs - baseEpochMs) / 1000.0;
        final double endS = (endEpochMs - baseEpochMs) / 1000.0;
        corrected.setTag(null);
        writer.outputIntervalHistogram(startS, endS, corrected);
        uncorrected.setTag(UNCORRECTED_TAG);
        writer.outputIntervalHistogram(startS, endS, uncorrected);
        uncorrected.setTag(null);
        stream.flush();
    }

    /**
     * Appends the run's connect latency (ns) as one interval tagged {@value #CONNECT_TAG}, so that merging the
     * logs of several generators adds their connect latencies too (readers that ask for no tag skip it).
     *
     * @param latency      connect latency of the connections opened in the window
     * @param startEpochMs the window's start
     * @param endEpochMs   the window's end
     */
    public void writeConnectLatency(final Histogram latency, final long startEpochMs, final long endEpochMs) {
        final Histogram tagged = latency.copy();
        tagged.setTag(CONNECT_TAG);
        writer.outputIntervalHistogram((startEpochMs - baseEpochMs) / 1000.0, (endEpochMs - baseEpochMs) / 1000.0,
            tagged);
        stream.flush();
    }

    /**
     * Appends where the run stands after an interval of any phase, as a comment (HdrHistogram's readers skip
     * it). A process that starts generators reads these while they run, for one progress line over all of them:
     * the interval log is the only thing that passes between them.
     *
     * @param sample       the interval
     * @param repliesSoFar replies counted since the run started, warm-up included (a running sum, so a reader
     *                     that misses a line loses nothing)
     */
    public void writeProgress(final IntervalSample sample, final long repliesSoFar) {
        stream.println(PROGRESS_PREFIX + " phase=" + sample.phase() + " endEpochMs=" + sample.endEpochMs()
            + " connectionsOpen=" + sample.connectionsOpen() + " connectsResolved=" + sample.connectsResolved()
            + " replies=" + repliesSoFar + " errors=" + sample.errorsTotal() + "]");
        stream.flush();
    }

    /**
     * Reads a line {@link #writeProgress} wrote.
     *
     * @param line a line of an interval log
     * @return what it says, or {@code null} when it is another line (or a torn one)
     */
    public static Progress parseProgress(final String line) {
        if (!line.startsWith(PROGRESS_PREFIX) || !line.endsWith("]")) {
            return null;
        }
        final Map<String, String> pairs = new java.util.HashMap<>();
        for (final String pair : line.substring(PROGRESS_PREFIX.length(), line.length() - 1).trim().split(" ")) {
            final int eq = pair.indexOf('=');
            if (eq > 0) {
                pairs.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        try {
            return new Progress(IntervalSample.Phase.valueOf(pairs.get("phase")),
                Long.parseLong(pairs.get("endEpochMs")), Long.parseLong(pairs.get("connectionsOpen")),
                Long.parseLong(pairs.get("connectsResolved")), Long.parseLong(pairs.get("replies")),
                Long.parseLong(pairs.get("errors")));
        } catch (final RuntimeException ex) {
            return null;
        }
    }

    /**
     * Where a run stood after an interval (see {@link #writeProgress}).
     *
     * @param phase            the interval's phase
     * @param endEpochMs       when the interval ended
     * @param connectionsOpen  connections open
     * @param connectsResolved connection attempts finished
     * @param replies          replies since the start, warm-up included
     * @param errors           errors since the start
     */
    public record Progress(IntervalSample.Phase phase, long endEpochMs, long connectionsOpen, long connectsResolved,
        long replies, long errors) {
    }

    /**
     * Appends the closing comment with the run's totals (keys as in the JSON summary).
     *
     * @param figures key to value
     */
    public void writeSummary(final Map<String, ? extends Number> figures) {
        final StringBuilder line = new StringBuilder(SUMMARY_PREFIX);
        for (final Map.Entry<String, ? extends Number> entry : figures.entrySet()) {
            line.append(' ').append(entry.getKey()).append('=').append(entry.getValue());
        }
        line.append(']');
        stream.println(line);
        stream.flush();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            writer.close();
            stream.close();
        }
    }
}
