package dev.ringside.bench.record;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;

/**
 * The union of interval logs taken on several hosts: every interval's histogram added together, the time
 * span they cover, and the sum of the totals each run wrote in its closing comment. This is how one goes
 * beyond one machine: one generator per host, each with {@code --hlog}, then {@code ringside merge}.
 */
public final class MergedLogs {
    private final Histogram corrected = LatencyRecorder.newHistogram();
    private final Histogram uncorrected = LatencyRecorder.newHistogram();
    private final Histogram connectLatency = LatencyRecorder.newHistogram();
    private final Map<String, Double> totals = new LinkedHashMap<>();
    private final Map<String, Double> maxima = new LinkedHashMap<>();
    private final List<Path> files = new ArrayList<>();
    private final List<Map<String, Double>> fileTotals = new ArrayList<>();
    private final List<Interval> read = new ArrayList<>();
    private int filesWithTotals;
    private int ringsideFiles;
    private long startEpochMs = Long.MAX_VALUE;
    private long endEpochMs = Long.MIN_VALUE;

    /**
     * Reads and merges logs.
     *
     * @param logs the files
     * @return the merge
     * @throws IOException when a file cannot be read or is not an interval log
     */
    public static MergedLogs read(final List<Path> logs) throws IOException {
        final MergedLogs merged = new MergedLogs();
        for (final Path log : logs) {
            merged.add(log);
        }
        return merged;
    }

    private void add(final Path log) throws IOException {
        if (!Files.isReadable(log)) {
            throw new IOException("cannot read " + log);
        }
        files.add(log);
        int histograms = 0;
        try (HistogramLogReader reader = new HistogramLogReader(log.toFile())) {
            EncodableHistogram next;
            while ((next = nextHistogram(reader, log)) != null) {
                if (!(next instanceof Histogram)) {
                    throw new IOException(log + " holds floating-point histograms; expected a ringside latency log");
                }
                final Histogram histogram = (Histogram) next;
                histograms++;
                if (IntervalLog.CONNECT_TAG.equals(histogram.getTag())) {
                    connectLatency.add(histogram);
                } else if (IntervalLog.UNCORRECTED_TAG.equals(histogram.getTag())) {
                    uncorrected.add(histogram);
                    if (!read.isEmpty() && read.get(read.size() - 1).uncorrected().getTotalCount() == 0
                        && read.get(read.size() - 1).startEpochMs() == histogram.getStartTimeStamp()) {
                        read.get(read.size() - 1).uncorrected().add(histogram);
                    }
                } else if (histogram.getTag() == null) {
                    corrected.add(histogram);
                    final Interval interval = new Interval(histogram.getStartTimeStamp(), histogram.getEndTimeStamp(),
                        LatencyRecorder.newHistogram(), LatencyRecorder.newHistogram());
                    interval.corrected().add(histogram);
                    read.add(interval);
                    startEpochMs = Math.min(startEpochMs, histogram.getStartTimeStamp());
                    endEpochMs = Math.max(endEpochMs, histogram.getEndTimeStamp());
                }
            }
        }
        if (histograms == 0 && !hasHeader(log)) {
            throw new IOException(log + " is not an HdrHistogram interval log");
        }
        if (writtenByRingside(log)) {
            ringsideFiles++;
        }
        readTotals(log);
    }

    private static EncodableHistogram nextHistogram(final HistogramLogReader reader, final Path log)
        throws IOException {
        try {
            return reader.nextIntervalHistogram();
        } catch (final RuntimeException ex) {
            throw new IOException(log + " is not a readable HdrHistogram interval log: " + ex.getMessage(), ex);
        }
    }

    private static boolean hasHeader(final Path log) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(log, StandardCharsets.US_ASCII)) {
            final String first = reader.readLine();
            return first != null && first.startsWith("#");
        }
    }

    private static boolean writtenByRingside(final Path log) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(log, StandardCharsets.US_ASCII)) {
            final String first = reader.readLine();
            return first != null && first.startsWith(IntervalLog.HEADER_PREFIX);
        }
    }

    /**
     * Reads a file's totals from its summary comment. A run writes one; should a file hold several (a log appended to
     * by two runs), the last one is the file's totals, so no file counts twice toward the sums or the file count.
     */
    private void readTotals(final Path log) throws IOException {
        final Map<String, Double> own = new LinkedHashMap<>();
        fileTotals.add(own);
        String summary = null;
        for (final String line : Files.readAllLines(log, StandardCharsets.US_ASCII)) {
            if (line.startsWith(IntervalLog.SUMMARY_PREFIX) && line.endsWith("]")) {
                summary = line;
            }
        }
        if (summary == null) {
            return;
        }
        filesWithTotals++;
        final String body = summary.substring(IntervalLog.SUMMARY_PREFIX.length(), summary.length() - 1).trim();
        for (final String pair : body.split(" ")) {
            final int eq = pair.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            final double value;
            try {
                value = Double.parseDouble(pair.substring(eq + 1));
            } catch (final NumberFormatException ex) {
                continue;
            }
            final String key = pair.substring(0, eq);
            own.put(key, value);
            totals.merge(key, value, Double::sum);
            maxima.merge(key, value, Math::max);
        }
    }

    /** @return the files merged */
    public List<Path> files() {
        return files;
    }

    /** @return corrected latency (ns) of every interval of every file */
    public Histogram corrected() {
        return corrected;
    }

    /** @return uncorrected latency (ns) of every interval of every file */
    public Histogram uncorrected() {
        return uncorrected;
    }

    /** @return connect latency (ns) of every log that holds it (written by ringside bench with reconnects) */
    public Histogram connectLatency() {
        return connectLatency;
    }

    /** @return earliest interval start, ms since the epoch (or {@link Long#MAX_VALUE} when empty) */
    public long startEpochMs() {
        return startEpochMs;
    }

    /** @return latest interval end, ms since the epoch */
    public long endEpochMs() {
        return endEpochMs;
    }

    /** @return how many files start with the comment {@code ringside bench} writes */
    public int ringsideFiles() {
        return ringsideFiles;
    }

    /** @return whether every file carried the closing totals comment */
    public boolean allFilesHaveTotals() {
        return filesWithTotals == files.size();
    }

    /**
     * @param key a JSON-style key such as {@code requests.sent}
     * @return the sum across files, or {@code null} when no file has it
     */
    public Double total(final String key) {
        return totals.get(key);
    }

    /**
     * @param key a JSON-style key such as {@code durationS}
     * @return the largest value across files, or {@code null} when no file has it
     */
    public Double maximum(final String key) {
        return maxima.get(key);
    }

    /** @return each file's own totals, in the order of {@link #files()} (empty for a file without them) */
    public List<Map<String, Double>> fileTotals() {
        return fileTotals;
    }

    /**
     * The intervals of every file on one time line: intervals that started within the same second of the
     * earliest start (one per generator, each ticking once a second from its own start) are added together.
     *
     * @return the unions, in time order
     */
    public List<Interval> intervals() {
        final java.util.TreeMap<Long, Interval> unions = new java.util.TreeMap<>();
        for (final Interval interval : read) {
            final long second = Math.round((interval.startEpochMs() - startEpochMs) / 1000.0);
            final Interval union = unions.get(second);
            if (union == null) {
                final Interval copy = new Interval(interval.startEpochMs(), interval.endEpochMs(),
                    interval.corrected().copy(), interval.uncorrected().copy());
                unions.put(second, copy);
            } else {
                union.corrected().add(interval.corrected());
                union.uncorrected().add(interval.uncorrected());
                unions.put(second, new Interval(Math.min(union.startEpochMs(), interval.startEpochMs()),
                    Math.max(union.endEpochMs(), interval.endEpochMs()), union.corrected(), union.uncorrected()));
            }
        }
        return new ArrayList<>(unions.values());
    }

    /**
     * @return the {@link #intervals()} as the reports chart them, from the earliest start
     */
    public List<IntervalStat> intervalStats() {
        final List<IntervalStat> stats = new ArrayList<>();
        for (final Interval interval : intervals()) {
            final Histogram c = interval.corrected();
            stats.add(new IntervalStat((interval.endEpochMs() - startEpochMs) / 1000.0,
                (interval.endEpochMs() - interval.startEpochMs()) / 1000.0, c.getTotalCount(),
                c.getValueAtPercentile(50), c.getValueAtPercentile(99), c.getMaxValue(),
                interval.uncorrected().getValueAtPercentile(99)));
        }
        return stats;
    }

    /**
     * One interval (or the union of intervals at the same time) of corrected and uncorrected latency.
     *
     * @param startEpochMs start
     * @param endEpochMs   end
     * @param corrected    corrected latency, ns
     * @param uncorrected  uncorrected latency, ns
     */
    public record Interval(long startEpochMs, long endEpochMs, Histogram corrected, Histogram uncorrected) {
    }

    /** @return every summed key, in first-seen order */
    public Map<String, Double> totals() {
        return totals;
    }
}
