package dev.ringside.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.ringside.bench.record.BenchResult;
import dev.ringside.bench.record.ErrorKind;
import dev.ringside.bench.record.GeneratorHealth;
import dev.ringside.bench.record.IntervalStat;
import dev.ringside.bench.record.LatencyRecorder;
import dev.ringside.bench.record.RunInfo;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * The figures an HTML report prints are the run's figures: latency percentiles in microseconds from the
 * right histogram, in the right column, and the rate, request and connection counts. The latency data is
 * chosen so every column has a different, known value (uniform 1..1000 µs corrected, 1..100 µs uncorrected).
 * Catches: columns out of order, corrected and uncorrected swapped, nanoseconds printed as microseconds,
 * a percentile level off by one column.
 */
class HtmlReportNumbersTest {
    private static final Pattern ROW =
        Pattern.compile("<tr><td class=\"l\">(corrected|uncorrected)</td>((?:<td>[^<]*</td>){7})</tr>");
    private static final Pattern CELL = Pattern.compile("<td>([^<]*)</td>");

    @Test
    void shouldPrintEachPercentileOfEachHistogramInMicroseconds() {
        final Histogram corrected = LatencyRecorder.newHistogram();
        final Histogram uncorrected = LatencyRecorder.newHistogram();
        for (int us = 1; us <= 1000; us++) {
            for (int n = 0; n < 10; n++) {
                corrected.recordValue(us * 1000L);
            }
        }
        for (int us = 1; us <= 100; us++) {
            for (int n = 0; n < 100; n++) {
                uncorrected.recordValue(us * 1000L);
            }
        }
        final String html = HtmlReport.render(result(corrected, uncorrected), List.of("verdict: PASSED (exit 0)"));
        final Map<String, double[]> rows = rows(html);
        // p50 p90 p99 p99.9 p99.99 max mean; HdrHistogram keeps 3 significant digits, hence the tolerance.
        assertRow(new double[] {500, 900, 990, 999, 1000, 1000, 500.5}, rows.get("corrected"), "corrected");
        assertRow(new double[] {50, 90, 99, 100, 100, 100, 50.5}, rows.get("uncorrected"), "uncorrected");
        assertTrue(html.contains(">10000 samples."), "sample count of the corrected histogram");
        assertTrue(html.contains("1980.0 msg/s achieved of 2000.0 target (99.0%)"), "rate row");
        assertTrue(html.contains("20000 sent = 19800 completed + 0 failed + 200 in flight at the end"), "requests row");
        assertTrue(html.contains("7 established of 8"), "connections row");
    }

    private static void assertRow(final double[] expected, final double[] actual, final String name) {
        assertEquals(expected.length, actual.length, name);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], expected[i] * 0.002 + 0.001,
                name + " column " + Percentiles.TITLES[i]);
        }
    }

    private static Map<String, double[]> rows(final String html) {
        final Map<String, double[]> rows = new LinkedHashMap<>();
        final Matcher row = ROW.matcher(html);
        while (row.find()) {
            final List<Double> values = new ArrayList<>();
            final Matcher cell = CELL.matcher(row.group(2));
            while (cell.find()) {
                values.add(Double.parseDouble(cell.group(1)));
            }
            rows.put(row.group(1), values.stream().mapToDouble(Double::doubleValue).toArray());
        }
        assertEquals(List.of("corrected", "uncorrected"), new ArrayList<>(rows.keySet()), "latency table rows");
        return rows;
    }

    private static BenchResult result(final Histogram corrected, final Histogram uncorrected) {
        final Map<ErrorKind, Long> errors = new LinkedHashMap<>();
        for (final ErrorKind kind : ErrorKind.values()) {
            errors.put(kind, 0L);
        }
        final List<IntervalStat> intervals = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            intervals.add(new IntervalStat(i, 1.0, 1980, 500_000, 900_000, 990_000, 1_000_000));
        }
        final RunInfo info = new RunInfo("bench", "echo over tcp", new LinkedHashMap<>(), Map.of(), 0);
        return new BenchResult(info, false, 8, 7, 2000, 1980, 20_000, 19_800, 200, errors, 0, 0, -1, 0, 10,
            corrected, uncorrected, intervals, List.of(), new GeneratorHealth(List.of(0.25), 0, null, null), Map.of());
    }
}
