package dev.ringside.bench.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IntervalLogTest {
    @TempDir
    Path dir;

    /** Writes {@code intervals} one-second intervals of random samples; adds every sample to {@code all}. */
    private static void writeLog(final Path file, final long seed, final int intervals, final Histogram allCorrected,
        final Histogram allUncorrected, final long startMs) throws IOException {
        final Random random = new Random(seed);
        final Histogram all = LatencyRecorder.newHistogram();
        try (IntervalLog log = new IntervalLog(file, startMs, "test run " + seed)) {
            for (int i = 0; i < intervals; i++) {
                final Histogram corrected = LatencyRecorder.newHistogram();
                final Histogram uncorrected = LatencyRecorder.newHistogram();
                for (int n = 0; n < 1000 + random.nextInt(1000); n++) {
                    final long value = (long) Math.exp(8 + random.nextDouble() * 10); // 3 us .. 66 ms
                    corrected.recordValue(value);
                    uncorrected.recordValue(value / 2);
                }
                all.add(corrected);
                allUncorrected.add(uncorrected);
                log.write(corrected, uncorrected, startMs + i * 1000L, startMs + (i + 1) * 1000L);
            }
            log.writeSummary(Map.of("requests.completed", all.getTotalCount(), "connections.requested", 10,
                "durationS", (double) intervals));
        }
        allCorrected.add(all);
    }

    @Test
    void shouldMergeLogsIntoTheHistogramOfAllSamples() throws IOException {
        final Histogram all = LatencyRecorder.newHistogram();
        final Histogram allUncorrected = LatencyRecorder.newHistogram();
        final long startMs = 1_700_000_000_000L;
        writeLog(dir.resolve("a.hlog"), 1, 5, all, allUncorrected, startMs);
        writeLog(dir.resolve("b.hlog"), 2, 7, all, allUncorrected, startMs + 250);
        final MergedLogs merged = MergedLogs.read(List.of(dir.resolve("a.hlog"), dir.resolve("b.hlog")));
        assertEquals(all, merged.corrected(), "merged corrected equals the histogram of every sample");
        assertEquals(allUncorrected, merged.uncorrected());
        assertEquals(all.getValueAtPercentile(99.9), merged.corrected().getValueAtPercentile(99.9));
        assertEquals(startMs, merged.startEpochMs(), "absolute start time survives the round trip");
        assertEquals(startMs + 250 + 7000, merged.endEpochMs());
        assertEquals(all.getTotalCount(), merged.total("requests.completed").longValue(), "totals are summed");
        assertEquals(20, merged.total("connections.requested").longValue());
        assertEquals(7.0, merged.maximum("durationS"));
        assertTrue(merged.allFilesHaveTotals());
    }

    @Test
    void shouldBeReadableByHdrHistogramsOwnLogProcessor() throws Exception {
        final Histogram all = LatencyRecorder.newHistogram();
        writeLog(dir.resolve("run.hlog"), 3, 4, all, LatencyRecorder.newHistogram(), 1_700_000_000_000L);
        final String output = dir.resolve("processed").toString();
        final HistogramLogProcessor processor = new HistogramLogProcessor(new String[] {
            "-i", dir.resolve("run.hlog").toString(), "-o", output, "-outputValueUnitRatio", "1000"});
        processor.run();
        final List<String> intervals = Files.readAllLines(Path.of(output), StandardCharsets.US_ASCII);
        final String distribution = Files.readString(Path.of(output + ".hgrm"), StandardCharsets.US_ASCII);
        assertEquals(4, intervals.stream().filter(line -> line.matches("^\\d+\\.\\d+: I:\\d+ .*")).count(),
            "one line per (untagged, corrected) interval: " + intervals);
        assertTrue(intervals.get(1).startsWith("#[StartTime: 1700000000.000"), "absolute start time: " + intervals);
        assertTrue(distribution.contains(String.format(java.util.Locale.ROOT,
            "#[Max     = %12.3f, Total count    = %12d]", all.getMaxValue() / 1000.0, all.getTotalCount())),
            distribution);
    }

    @Test
    void shouldRefuseAFileThatIsNotAnIntervalLog() throws IOException {
        final Path junk = dir.resolve("junk.hlog");
        Files.writeString(junk, "this is not a log\n1,2,3\n");
        assertThrows(IOException.class, () -> MergedLogs.read(List.of(junk)));
        assertThrows(IOException.class, () -> MergedLogs.read(List.of(dir.resolve("missing.hlog"))));
    }

    /**
     * Writes three one-second intervals from {@code startMs}: interval {@code i} holds {@code count} corrected
     * samples of {@code (i + 1) * valueNs} and as many uncorrected ones of half that; then connect latency
     * ({@code connects} samples of {@code connectNs}) and the totals.
     */
    private static void writeFixedLog(final Path file, final long startMs, final int count, final long valueNs,
        final int connects, final long connectNs) throws IOException {
        try (IntervalLog log = new IntervalLog(file, startMs, "fixed " + valueNs)) {
            for (int i = 0; i < 3; i++) {
                final Histogram corrected = LatencyRecorder.newHistogram();
                final Histogram uncorrected = LatencyRecorder.newHistogram();
                corrected.recordValueWithCount((i + 1) * valueNs, count);
                uncorrected.recordValueWithCount((i + 1) * valueNs / 2, count);
                log.write(corrected, uncorrected, startMs + i * 1000L, startMs + (i + 1) * 1000L);
                assertNull(corrected.getTag(), "written untagged");
                assertNull(uncorrected.getTag(), "the caller's histogram keeps no tag");
            }
            final Histogram connect = LatencyRecorder.newHistogram();
            connect.recordValueWithCount(connectNs, connects);
            log.writeConnectLatency(connect, startMs, startMs + 3000);
            assertNull(connect.getTag(), "a tagged copy is written, the caller's histogram is left alone");
            log.writeSummary(Map.of("requests.completed", 3L * count));
        }
    }

    @Test
    void shouldLineUpTheIntervalsOfSeveralGeneratorsByTheSecondTheyStarted() throws IOException {
        // Catches: intervals of two generators not added together (or added across seconds), an uncorrected
        // histogram not paired with its interval, connect latency dropped or mixed into the corrected latency,
        // interval stats measured from the wrong origin, per-file totals or maxima lost.
        final long startMs = 1_700_000_000_000L;
        final Path a = dir.resolve("a.hlog");
        final Path b = dir.resolve("b.hlog");
        writeFixedLog(a, startMs, 10, 1_000_000, 5, 777_000);
        writeFixedLog(b, startMs + 250, 20, 3_000_000, 3, 999_000);
        final MergedLogs merged = MergedLogs.read(List.of(a, b));
        assertEquals(List.of(a, b), merged.files());
        assertEquals(2, merged.ringsideFiles());
        assertEquals(90, merged.corrected().getTotalCount());
        assertEquals(90, merged.uncorrected().getTotalCount());
        assertEquals(8, merged.connectLatency().getTotalCount(), "both files' connect latency, and only that");
        assertEquals(5, merged.connectLatency().getCountAtValue(777_000));
        assertEquals(0, merged.corrected().getCountAtValue(777_000));
        assertEquals(List.of(Map.of("requests.completed", 30.0), Map.of("requests.completed", 60.0)),
            merged.fileTotals());
        assertEquals(90.0, merged.total("requests.completed"));
        assertEquals(60.0, merged.maximum("requests.completed"));
        assertEquals(Map.of("requests.completed", 90.0), merged.totals());
        assertNull(merged.total("no.such.key"));

        final List<MergedLogs.Interval> intervals = merged.intervals();
        assertEquals(3, intervals.size(), "one union per second: " + intervals);
        final List<IntervalStat> stats = merged.intervalStats();
        for (int i = 0; i < 3; i++) {
            final MergedLogs.Interval union = intervals.get(i);
            assertEquals(startMs + i * 1000L, union.startEpochMs(), "earliest start of the second " + i);
            assertEquals(startMs + 250 + (i + 1) * 1000L, union.endEpochMs(), "latest end of the second " + i);
            assertEquals(30, union.corrected().getTotalCount());
            assertEquals(30, union.uncorrected().getTotalCount(), "each uncorrected histogram with its interval");
            assertEquals(10, union.corrected().getCountAtValue((i + 1) * 1_000_000L));
            assertEquals(20, union.uncorrected().getCountAtValue((i + 1) * 1_500_000L));
            final IntervalStat stat = stats.get(i);
            assertEquals(i + 1.25, stat.offsetS(), 1e-9, "from the earliest start to the union's end");
            assertEquals(1.25, stat.lengthS(), 1e-9);
            assertEquals(30, stat.count());
            final long slow = (i + 1) * 3_000_000L;
            assertTrue(union.corrected().valuesAreEquivalent(slow, stat.p50Ns()), "two thirds are the slow ones");
            assertTrue(union.corrected().valuesAreEquivalent(slow, stat.p99Ns()));
            assertTrue(union.corrected().valuesAreEquivalent(slow, stat.maxNs()));
            assertTrue(union.uncorrected().valuesAreEquivalent(slow / 2, stat.uncorrectedP99Ns()));
        }
    }

    @Test
    void shouldTellALogWithoutRingsidesHeaderOrTotalsFromOneWithThem() throws IOException {
        // Catches: counting every file as ringside's, or calling totals complete when one file has none.
        final long startMs = 1_700_000_000_000L;
        final Path ours = dir.resolve("ours.hlog");
        writeFixedLog(ours, startMs, 1, 1_000, 1, 1_000);
        final Path plain = dir.resolve("plain.hlog");
        try (java.io.PrintStream out = new java.io.PrintStream(plain.toFile(), StandardCharsets.US_ASCII)) {
            final org.HdrHistogram.HistogramLogWriter writer = new org.HdrHistogram.HistogramLogWriter(out);
            writer.outputLogFormatVersion();
            writer.outputStartTime(startMs);
            writer.setBaseTime(startMs);
            writer.outputLegend();
            final Histogram histogram = LatencyRecorder.newHistogram();
            histogram.recordValue(5_000);
            writer.outputIntervalHistogram(0, 1, histogram);
        }
        final MergedLogs merged = MergedLogs.read(List.of(ours, plain));
        assertEquals(1, merged.ringsideFiles());
        assertFalse(merged.allFilesHaveTotals());
        assertEquals(Map.of(), merged.fileTotals().get(1));
        assertEquals(4, merged.corrected().getTotalCount(), "the plain file's interval counts all the same");
        assertTrue(MergedLogs.read(List.of(ours)).allFilesHaveTotals());
    }

    @Test
    void shouldCountAFileWithTwoSummaryLinesOnceAndTakeItsLastTotals() throws IOException {
        // Catches: counting summary lines instead of files (two lines in one file then stand in for a second file
        // that has none, so allFilesHaveTotals turns true), or adding both lines' figures into the sums.
        final long startMs = 1_700_000_000_000L;
        final Path twice = dir.resolve("twice.hlog");
        writeFixedLog(twice, startMs, 1, 1_000, 1, 1_000);
        Files.writeString(twice, IntervalLog.SUMMARY_PREFIX + " requests.completed=5]\n", StandardCharsets.US_ASCII,
            java.nio.file.StandardOpenOption.APPEND);
        final Path none = dir.resolve("none.hlog");
        writeFixedLog(none, startMs, 1, 1_000, 1, 1_000);
        final List<String> lines = Files.readAllLines(none, StandardCharsets.US_ASCII);
        lines.removeIf(line -> line.startsWith(IntervalLog.SUMMARY_PREFIX));
        Files.write(none, lines, StandardCharsets.US_ASCII);
        final MergedLogs merged = MergedLogs.read(List.of(twice, none));
        assertFalse(merged.allFilesHaveTotals(), "the second file has no totals");
        assertEquals(5.0, merged.total("requests.completed"), "the last summary line is the file's totals");
        assertEquals(Map.of("requests.completed", 5.0), merged.fileTotals().get(0));
    }

    @Test
    void shouldReadBackTheProgressLineItWroteAndNothingElse() throws IOException {
        // Catches: a progress field written or read under the wrong key, a torn line taken for a whole one, or a
        // foreign line (an interval, the totals) taken for progress.
        final Path file = dir.resolve("progress.hlog");
        final long startMs = 1_700_000_000_000L;
        final IntervalSample sample = new IntervalSample().set(IntervalSample.Phase.MEASURING, 3.0, 1.0,
            startMs + 2000, startMs + 3000, 100, 7, 8, 9, 2);
        try (IntervalLog log = new IntervalLog(file, startMs, "progress")) {
            log.writeProgress(sample, 12_345);
            log.writeSummary(Map.of("requests.completed", 1));
        }
        final List<IntervalLog.Progress> read = new java.util.ArrayList<>();
        for (final String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
            final IntervalLog.Progress progress = IntervalLog.parseProgress(line);
            if (progress != null) {
                read.add(progress);
            }
        }
        assertEquals(List.of(new IntervalLog.Progress(IntervalSample.Phase.MEASURING, startMs + 3000, 7, 9, 12_345,
            2)), read);
        final String whole = IntervalLog.PROGRESS_PREFIX + " phase=WARMUP endEpochMs=5 connectionsOpen=1"
            + " connectsResolved=2 replies=3 errors=4]";
        assertEquals(new IntervalLog.Progress(IntervalSample.Phase.WARMUP, 5, 1, 2, 3, 4),
            IntervalLog.parseProgress(whole));
        assertEquals(new IntervalLog.Progress(IntervalSample.Phase.WARMUP, 5, 1, 2, 3, 4),
            IntervalLog.parseProgress(whole.replace(" errors", " extra errors")), "a word without '=' is skipped");
        assertNull(IntervalLog.parseProgress(whole.substring(0, whole.length() - 1)), "torn: no closing bracket");
        assertNull(IntervalLog.parseProgress(whole.replace(" replies=3", "")), "a field missing");
        assertNull(IntervalLog.parseProgress(whole.replace("replies=3", "replies=x")), "a field not a number");
        assertNull(IntervalLog.parseProgress(whole.replace("WARMUP", "NAPPING")), "no such phase");
        assertNull(IntervalLog.parseProgress("#[ringside-summary: requests.completed=1]"));
    }

    @Test
    void shouldPutEveryLineInTheFileAsItIsWrittenForAReaderThatFollowsTheRun() throws IOException {
        // A fleet's parent and LogTail read a generator's log while it runs. Catches: a missing flush after the
        // header, an interval, the connect latency, a progress line or the totals; the HdrHistogram header lines
        // (format version, start and base time, legend) left out; a corrected histogram written with a tag left
        // on it by its previous use; connect latency written with wrong timestamps; writes after close reaching
        // the file.
        final Path file = dir.resolve("live.hlog");
        final long startMs = 1_700_000_000_000L;
        final Histogram corrected = LatencyRecorder.newHistogram();
        corrected.recordValue(1_000);
        corrected.setTag(IntervalLog.UNCORRECTED_TAG); // left over from its last use
        final Histogram uncorrected = LatencyRecorder.newHistogram();
        uncorrected.recordValue(500);
        final Histogram connect = LatencyRecorder.newHistogram();
        connect.recordValue(2_000);
        final IntervalLog log = new IntervalLog(file, startMs, "live");
        try {
            final List<String> header = Files.readAllLines(file, StandardCharsets.US_ASCII);
            assertEquals("#ringside live", header.get(0));
            assertTrue(header.get(1).startsWith("#[Histogram log format version "), header.toString());
            assertTrue(header.get(2).startsWith("#[StartTime: 1700000000.000"), header.toString());
            assertTrue(header.get(3).startsWith("#[BaseTime: 1700000000.000"), header.toString());
            assertTrue(header.get(4).startsWith("\"StartTimestamp\""), header.toString());
            log.write(corrected, uncorrected, startMs + 1000, startMs + 2000);
            assertEquals(7, Files.readAllLines(file, StandardCharsets.US_ASCII).size(), "both intervals are there");
            log.writeConnectLatency(connect, startMs, startMs + 3000);
            assertEquals(8, Files.readAllLines(file, StandardCharsets.US_ASCII).size());
            log.writeProgress(new IntervalSample(), 0);
            assertEquals(9, Files.readAllLines(file, StandardCharsets.US_ASCII).size());
            log.writeSummary(Map.of("requests.completed", 1));
            assertEquals(10, Files.readAllLines(file, StandardCharsets.US_ASCII).size());
        } finally {
            log.close();
        }
        log.writeSummary(Map.of("after.close", 1));
        assertEquals(10, Files.readAllLines(file, StandardCharsets.US_ASCII).size(), "nothing after close");

        final MergedLogs merged = MergedLogs.read(List.of(file));
        assertEquals(1, merged.corrected().getTotalCount(), "the corrected histogram was written untagged");
        assertEquals(1, merged.uncorrected().getTotalCount());
        assertEquals(startMs + 1000, merged.startEpochMs());
        try (org.HdrHistogram.HistogramLogReader reader = new org.HdrHistogram.HistogramLogReader(file.toFile())) {
            org.HdrHistogram.EncodableHistogram next;
            int connects = 0;
            while ((next = reader.nextIntervalHistogram()) != null) {
                if (IntervalLog.CONNECT_TAG.equals(next.getTag())) {
                    connects++;
                    assertEquals(startMs, next.getStartTimeStamp(), "connect latency covers the window");
                    assertEquals(startMs + 3000, next.getEndTimeStamp());
                }
            }
            assertEquals(1, connects);
        }
    }

    @Test
    void shouldAcceptALogOfARunThatEndedBeforeItsFirstIntervalAndSkipNamelessTotals() throws IOException {
        // Catches an empty but well-formed log refused as "not an interval log" (a run stopped during its
        // ramp still writes one), and a totals pair without a key summed under the empty key.
        final Path file = dir.resolve("empty.hlog");
        try (IntervalLog log = new IntervalLog(file, 1_700_000_000_000L, "empty")) {
            log.writeSummary(Map.of("requests.sent", 0));
        }
        Files.writeString(file, IntervalLog.SUMMARY_PREFIX + " =5 extra=2]\n", StandardCharsets.US_ASCII,
            java.nio.file.StandardOpenOption.APPEND);
        final MergedLogs merged = MergedLogs.read(List.of(file));
        assertEquals(0, merged.corrected().getTotalCount());
        assertEquals(1, merged.ringsideFiles());
        assertNull(merged.total(""), "a pair without a key is skipped");
        assertEquals(2.0, merged.total("extra"));
    }
}
