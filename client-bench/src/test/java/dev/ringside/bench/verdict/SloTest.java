package dev.ringside.bench.verdict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.ringside.bench.record.BenchResult;
import dev.ringside.bench.record.ErrorKind;
import dev.ringside.bench.record.GeneratorHealth;
import dev.ringside.bench.record.LatencyRecorder;
import dev.ringside.bench.record.RunInfo;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The objective parser and its checks, and the verdict's exit statuses. */
class SloTest {
    /** 1000 requests, latency 1..1000 us, at 990 msg/s of a 1000 target, with the given errors. */
    private static BenchResult run(final long timeouts, final String interruptedBy, final String failure) {
        final Histogram corrected = LatencyRecorder.newHistogram();
        for (int i = 1; i <= 1000; i++) {
            corrected.recordValue(i * 1000L);
        }
        final Map<ErrorKind, Long> errors = new LinkedHashMap<>();
        errors.put(ErrorKind.RESPONSE_TIMEOUT, timeouts);
        return new BenchResult(new RunInfo("bench", "test", Map.of(), Map.of(), 0), false, 10, 10, 1000, 995,
            1000 + timeouts, 1000, 0, errors, 0, 0, -1, 0, 1, corrected, corrected, List.of(), List.of(),
            new GeneratorHealth(List.of(0.5), 0, failure, interruptedBy), Map.of());
    }

    @Test
    void shouldParseEveryForm() {
        final Slo p99 = Slo.parse("p99=2ms");
        assertEquals(Slo.Metric.LATENCY, p99.metric());
        assertEquals(99.0, p99.percentile());
        assertEquals(2_000_000.0, p99.limit());
        assertEquals(99.9, Slo.parse("p99.9=10ms").percentile());
        assertEquals(100.0, Slo.parse("max=1s").percentile());
        assertEquals(500_000.0, Slo.parse("P50=500us").limit(), "case does not matter");
        assertEquals(Slo.Metric.ERRORS, Slo.parse("errors=0").metric());
        assertEquals(Slo.Metric.ERROR_PERCENT, Slo.parse("errors=0.1%").metric());
        assertEquals(Slo.Metric.RATE_PERCENT, Slo.parse("rate=99%").metric());
        assertEquals(5000.0, Slo.parse("rate=5000").limit());
    }

    @Test
    void shouldRejectBadSyntaxWithOneLineNamingTheSyntax() {
        for (final String bad : List.of("", "p99", "p99=", "=2ms", "p99=2", "p99=fast", "p0=1ms", "p101=1ms",
            "q99=1ms", "errors=1.5", "errors=-1", "rate=120%", "rate=x", "latency=2ms")) {
            final IllegalArgumentException failure = assertThrows(IllegalArgumentException.class,
                () -> Slo.parse(bad), bad);
            assertTrue(failure.getMessage().startsWith("--slo " + bad + ": "), failure.getMessage());
            assertTrue(failure.getMessage().contains("use pNN=DURATION"), failure.getMessage());
            assertEquals(1, failure.getMessage().lines().count());
        }
    }

    @Test
    void shouldCheckEachObjectiveAgainstTheMeasuredValue() {
        final BenchResult clean = run(0, null, null);
        assertTrue(Slo.parse("p99=1ms").check(clean).met(), "p99 is 990 us");
        final Slo.Check missed = Slo.parse("p99=900us").check(clean);
        assertFalse(missed.met());
        assertEquals("slo p99=900us: MISSED (p99 990.2 us)", missed.line());
        assertTrue(Slo.parse("max=2ms").check(clean).met());
        assertFalse(Slo.parse("max=999us").check(clean).met());
        assertTrue(Slo.parse("rate=99%").check(clean).met(), "99.5% of the target");
        assertFalse(Slo.parse("rate=99.9%").check(clean).met());
        assertTrue(Slo.parse("rate=995").check(clean).met());
        final BenchResult errors = run(5, null, null);
        assertTrue(Slo.parse("errors=5").check(errors).met());
        assertFalse(Slo.parse("errors=4").check(errors).met());
        assertTrue(Slo.parse("errors=0.5%").check(errors).met(), "5 of 1005");
        assertFalse(Slo.parse("errors=0.4%").check(errors).met());
    }

    @Test
    void shouldGiveTheHighestStatusThatApplies() {
        assertEquals(ExitStatus.CLEAN, Verdict.of(run(0, null, null), List.of(), false).exitCode());
        assertEquals("verdict: CLEAN (exit 0)", Verdict.of(run(0, null, null), List.of(), false).line());
        assertEquals(ExitStatus.FAILED, Verdict.of(run(3, null, null), List.of(), false).exitCode());
        assertEquals(ExitStatus.CLEAN, Verdict.of(run(3, null, null), List.of(), true).exitCode(), "--allow-errors");
        assertEquals(ExitStatus.SLO_MISSED, Verdict.of(run(0, null, null), List.of(Slo.parse("p99=1us")), false)
            .exitCode());
        assertEquals(ExitStatus.SLO_MISSED, Verdict.of(run(3, null, null), List.of(Slo.parse("p99=1us")), false)
            .exitCode(), "3 beats 1");
        final Verdict failed = Verdict.of(run(0, null, "thread-0 died: java.lang.OutOfMemoryError"),
            List.of(Slo.parse("p99=1us")), false);
        assertEquals(ExitStatus.GENERATOR_FAILED, failed.exitCode(), "4 beats 3");
        assertEquals(2, failed.lines().size(), "the verdict and the SLO line");
        assertEquals(ExitStatus.SIGTERM, Verdict.of(run(3, "SIGTERM", null), List.of(), false).exitCode());
        assertEquals(ExitStatus.SIGINT, Verdict.of(run(0, "SIGINT", null), List.of(), false).exitCode());
    }
}
