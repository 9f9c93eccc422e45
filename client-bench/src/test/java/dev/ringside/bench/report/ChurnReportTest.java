package dev.ringside.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.ringside.bench.record.BenchResult;
import dev.ringside.bench.record.ConnectionChurn;
import dev.ringside.bench.record.ErrorKind;
import dev.ringside.bench.record.GeneratorHealth;
import dev.ringside.bench.record.IntervalSample;
import dev.ringside.bench.record.LatencyRecorder;
import dev.ringside.bench.record.RunInfo;
import dev.ringside.bench.verdict.Verdict;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * Reconnects, connections opened per second and connect latency reach every output: the summary (a
 * {@code reconnects} and a {@code churn} line, a {@code connect} row in the percentile table), the JSON
 * ({@code connections.reconnects/opened/openedPerS}, {@code connectLatencyUs}), the HTML report and the
 * progress line; a run without them prints none of those lines. Churn figures of two generators add up.
 */
class ChurnReportTest {
    private static BenchResult result(final ConnectionChurn churn) {
        final Histogram latency = LatencyRecorder.newHistogram();
        for (int i = 1; i <= 1000; i++) {
            latency.recordValue(50_000 + i);
        }
        final Map<ErrorKind, Long> errors = new LinkedHashMap<>();
        for (final ErrorKind kind : ErrorKind.values()) {
            errors.put(kind, 0L);
        }
        return new BenchResult(new RunInfo("bench", "http over tcp", Map.of(), Map.of(), 0), true, 4, 4, 0, 100,
            1000, 1000, 0, errors, 0, 0, -1, 0, 10, latency, latency, List.of(), List.of(),
            new GeneratorHealth(List.of(0.5), 0, null, null), Map.of(), Map.of(), churn);
    }

    private static ConnectionChurn churn() {
        final Histogram connects = LatencyRecorder.newHistogram();
        for (int i = 0; i < 500; i++) {
            connects.recordValue(120_000); // 120 us
        }
        return new ConnectionChurn(7, 500, connects);
    }

    private static String text(final BenchResult result) {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TextSummary.print(result, List.of(), new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void shouldShowReconnectsOpenedConnectionsAndConnectLatencyEverywhere() {
        // Catches: a figure computed but left out of one of the outputs, or connections/s over the wrong span.
        final BenchResult result = result(churn());
        final String text = text(result);
        assertTrue(text.contains("reconnects    7 "), text);
        assertTrue(text.contains("churn         500 connections opened in the window, 50.0/s"), text);
        assertTrue(text.lines().anyMatch(line -> line.strip().startsWith("connect ") && line.contains("120.")), text);
        final String json = JsonSummary.toJson(result, Verdict.of(result, List.of(), false), List.of("ringside"));
        assertTrue(json.contains("\"reconnects\": 7"), json);
        assertTrue(json.contains("\"opened\": 500"), json);
        assertTrue(json.contains("\"openedPerS\": 50"), json);
        assertTrue(json.contains("\"connectSamples\": 500"), json);
        final String html = HtmlReport.render(result, List.of());
        assertTrue(html.contains(">connect<") && html.contains(">reconnects<") && html.contains("50.0/s"), html);
        final IntervalSample sample = new IntervalSample().set(IntervalSample.Phase.MEASURING, 3, 1, 0, 1000, 900,
            4, 4, 4, 0).churn(7, 450);
        final String progress = ProgressLine.format(sample);
        assertTrue(progress.contains("reconnects 7") && progress.contains("opened 450/s"), progress);
    }

    @Test
    void shouldPrintNothingAboutChurnWhenThereWasNone() {
        final String text = text(result(ConnectionChurn.none()));
        assertFalse(text.contains("reconnects") || text.contains("churn") || text.contains("connect ="), text);
        final String progress = ProgressLine.format(new IntervalSample().set(IntervalSample.Phase.MEASURING, 3, 1, 0,
            1000, 900, 4, 4, 4, 0));
        assertFalse(progress.contains("reconnects") || progress.contains("opened"), progress);
    }

    @Test
    void shouldAddTheFiguresOfTwoGenerators() {
        final ConnectionChurn both = churn().plus(churn());
        assertEquals(14, both.reconnects());
        assertEquals(1000, both.opened());
        assertEquals(1000, both.connectLatency().getTotalCount());
        assertEquals(-1, churn().plus(ConnectionChurn.unknown()).reconnects(), "unknown stays unknown");
    }
}
