package dev.ringside.bench.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
