package dev.ringside.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.ringside.bench.record.BenchResult;
import dev.ringside.bench.record.ErrorKind;
import dev.ringside.bench.record.GeneratorHealth;
import dev.ringside.bench.record.IntervalSample;
import dev.ringside.bench.record.IntervalStat;
import dev.ringside.bench.record.LatencyRecorder;
import dev.ringside.bench.record.RunInfo;
import dev.ringside.bench.verdict.Verdict;
import dev.ringside.engine.testing.ExternalTool;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
    @TempDir
    Path dir;

    private static BenchResult result() {
        final Histogram corrected = LatencyRecorder.newHistogram();
        final Histogram uncorrected = LatencyRecorder.newHistogram();
        final List<IntervalStat> intervals = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            for (int n = 0; n < 1000; n++) {
                corrected.recordValue(20_000 + n * 10L * i);
                uncorrected.recordValue(20_000 + n * 5L);
            }
            intervals.add(new IntervalStat(i, 1.0, 1000, 25_000, 29_000 + i * 100, 40_000 + i * 1000, 25_000));
        }
        final Map<ErrorKind, Long> errors = new LinkedHashMap<>();
        for (final ErrorKind kind : ErrorKind.values()) {
            errors.put(kind, kind == ErrorKind.VERIFICATION ? 2L : 0L);
        }
        final Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("target", "127.0.0.1:5000 <&>");
        return result(corrected, uncorrected, intervals, errors, parameters);
    }

    private static BenchResult result(final Histogram corrected, final Histogram uncorrected,
        final List<IntervalStat> intervals, final Map<ErrorKind, Long> errors, final Map<String, String> parameters) {
        final RunInfo info = new RunInfo("bench", "echo over tcp", parameters, Map.of(), 0);
        return new BenchResult(info, false, 10, 9, 1000, 990, 9902, 9900, 0, errors, 0, 0, -1, 0, 10, corrected,
            uncorrected, intervals, List.of("only 9 of 10 connections were established"),
            new GeneratorHealth(List.of(0.25), 0, null, null), Map.of());
    }

    /** Catches fixed-width columns ({@code %12.3f}): values past 10 s used to run into their neighbours. */
    @Test
    void shouldKeepColumnsApartHoweverLargeTheValues() {
        final Histogram corrected = LatencyRecorder.newHistogram();
        final Histogram uncorrected = LatencyRecorder.newHistogram();
        corrected.recordValue(8_585_740_287L);
        corrected.recordValue(10_225_713_151L);
        corrected.recordValue(99_000_000_000L);
        uncorrected.recordValue(123_456_789_012L);
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TextSummary.print(result(corrected, uncorrected, List.of(), Map.of(), Map.of()), List.of(),
            new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        final List<String> table = bytes.toString(StandardCharsets.UTF_8).lines()
            .filter(line -> line.startsWith("  latency (us)") || line.startsWith("  corrected")
                || line.startsWith("  uncorrected  ")).toList();
        assertEquals(3, table.size(), table.toString());
        for (final String line : table.subList(1, 3)) {
            final String[] cells = line.trim().split("\\s+");
            assertEquals(8, cells.length, "label and seven values, each apart: " + line);
            for (int i = 1; i < cells.length; i++) {
                assertTrue(cells[i].matches("\\d+\\.\\d{3}"), cells[i] + " in " + line);
            }
            assertEquals(table.get(0).length(), line.length(), "right edges line up with the header");
        }
    }

    @Test
    void shouldShowStatusClassesInTheSummaryAndTheJson() {
        final BenchResult plain = result();
        final BenchResult http = new BenchResult(plain.info(), false, 10, 9, 1000, 990, 9902, 9900, 0, plain.errors(),
            0, 0, -1, 0, 10, plain.corrected(), plain.uncorrected(), plain.intervals(), plain.warnings(),
            plain.generator(), Map.of(), Map.of("2xx", 9890L, "4xx", 10L));
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TextSummary.print(http, List.of(), new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("status        2xx 9890  4xx 10"),
            bytes.toString(StandardCharsets.UTF_8));
        final String json = JsonSummary.toJson(http, Verdict.of(http, List.of(), true), List.of())
            .replaceAll("\\s", "");
        assertTrue(json.contains("\"statusClasses\":{\"2xx\":9890,\"4xx\":10}"), json);
    }

    @Test
    void shouldWriteASelfContainedReportWithThreeCharts() throws Exception {
        final String html = HtmlReport.render(result(), List.of("verdict: FAILED (exit 1): 2 errors"));
        assertEquals(3, html.split("<svg", -1).length - 1);
        assertFalse(html.matches("(?s).*(src=|href=|url\\(|<link|<script).*"), "nothing to fetch, no script");
        assertTrue(html.contains("127.0.0.1:5000 &lt;&amp;&gt;"), "escaped");
        assertTrue(html.contains(">99.9%<") && html.contains(">90%<"), "log percentile axis labels");
        assertTrue(html.contains("WARNING: only 9 of 10 connections were established"));
        assertTrue(html.contains("verification failed 2"));
        assertTrue(html.contains("verdict: FAILED (exit 1): 2 errors"));
        assertTrue(html.contains("9902 sent = 9900 completed + 2 failed + 0 in flight at the end"), html);
        final Path file = dir.resolve("report.html");
        Files.writeString(file, html, StandardCharsets.UTF_8);
        renderInChromium(file);
    }

    /** Runs the documented check script on the report when Chromium is installed. */
    private void renderInChromium(final Path report) throws Exception {
        final Path script = Path.of(System.getProperty("user.dir"), "scripts", "check-report.sh");
        ExternalTool.require("chromium", "chromium");
        final Process check = new ProcessBuilder(script.toString(), report.toString(), dir.resolve("shot.png")
            .toString()).redirectErrorStream(true).start();
        final String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(check.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, check.exitValue(), output);
        assertTrue(output.contains("check-report: ok"), output);
    }

    @Test
    void shouldPrintWarningsAndErrorKindsInTheSummary() {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TextSummary.print(result(), List.of("verdict: FAILED (exit 1)"), new PrintStream(bytes, true,
            StandardCharsets.UTF_8), true);
        final String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("9 established of 10"), text);
        assertTrue(text.contains("990.0 msg/s achieved of 1000.0 target (99.0%)"), text);
        assertTrue(text.contains("errors        2 (verification failed 2)"), text);
        assertTrue(text.contains("WARNING: only 9 of 10 connections were established"), text);
        assertTrue(text.contains("corrected latency distribution (us):"), text);
        assertTrue(text.contains("9902 sent = 9900 completed + 2 failed + 0 in flight at the end"), text);
        assertTrue(text.contains("generator     loop busy 25% of the window"), text);
        assertTrue(text.strip().endsWith("verdict: FAILED (exit 1)"), "the verdict comes last: " + text);
    }

    @Test
    @Timeout(10)
    void shouldRewriteOneLineOnATerminalAndPrintLinesOtherwise() {
        final IntervalSample sample = new IntervalSample().set(IntervalSample.Phase.MEASURING, 3, 1, 0, 1000, 500,
            10, 10, 10, 0);
        sample.corrected().recordValue(42_000);
        final ByteArrayOutputStream tty = new ByteArrayOutputStream();
        try (ProgressLine line = new ProgressLine(new PrintStream(tty, true, StandardCharsets.UTF_8), true)) {
            line.onInterval(sample);
            line.onInterval(sample);
        }
        final String rewritten = tty.toString(StandardCharsets.UTF_8);
        assertTrue(rewritten.startsWith("\r[   3.0s] measuring  conns 10/10  rate       500/s  p50     42.0us"),
            rewritten);
        assertTrue(rewritten.contains("\u001b[K\r"), "the second rewrites the first");
        assertEquals(1, rewritten.chars().filter(c -> c == '\n').count(), "one line break, at the end");
        final ByteArrayOutputStream plain = new ByteArrayOutputStream();
        try (ProgressLine line = new ProgressLine(new PrintStream(plain, true, StandardCharsets.UTF_8), false)) {
            line.onInterval(sample);
            line.onInterval(sample);
        }
        final String lines = plain.toString(StandardCharsets.UTF_8);
        assertEquals(2, lines.lines().count());
        assertFalse(lines.contains("\r") || lines.contains("\u001b"));
    }
}
