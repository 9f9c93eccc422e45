package dev.ringside.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.ringside.engine.protocol.Session;
import dev.ringside.engine.protocol.SessionContext;
import dev.ringside.engine.protocol.echo.EchoProtocol;
import dev.ringside.engine.testing.LoopHarness;
import dev.ringside.engine.testing.StreamOnlyProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sweep}, {@code compare} (plain and {@code --sweep}) and {@code demo}, each a child JVM interrupted by
 * a signal, keep what they finished: the table and verdict marked INTERRUPTED, JSON and report written for it,
 * exit 128 + signal, servers they started stopped. {@code bench}'s own case is {@link SignalTest}. Each test
 * fails when the command does not watch the signals (the JVM's default exits 130/143 with nothing written).
 */
class InterruptedRunsTest {
    @TempDir
    Path dir;

    // Catches: sweep not watching signals (no table, no JSON), keeping the interrupted step (two steps in the
    // JSON), ignoring the second signal (the drain would wait for the 60 s timeout), or running on to 800.
    @Test
    @Timeout(150)
    void sweepShouldKeepTheFinishedStepsAndSkipTheDrainOnASecondSigterm() throws Exception {
        // Step 1's four connections are echoed; step 2's are not: only a skipped drain ends step 2 soon.
        try (LoopHarness server = new LoopHarness(LoopHarness.smallConfig())) {
            final InetSocketAddress address = server.listenTcp(new EchoThenSilent(4));
            server.startThread();
            final Path json = dir.resolve("sweep.json");
            final Path report = dir.resolve("sweep.html");
            try (ChildRingside sweep = ChildRingside.start(dir, "sweep", "--target", "127.0.0.1:"
                + address.getPort(), "--connections", "4", "--rates", "200,400,800", "--duration", "2s", "--warmup",
                "0", "--timeout", "60s", "--slo", "p99=5s", "--json", json.toString(), "--report",
                report.toString())) {
                // Step 2 in its window, so requests are owed (a signal while it connects would owe nothing).
                sweep.awaitErr(err -> err.indexOf("measuring", Math.max(0, err.indexOf("step 1 at 200 msg/s"))) > 0
                    && err.contains("step 1 at 200 msg/s"), "step 2 measuring");
                sweep.signal("TERM");
                // Two signals sent back to back may merge into one before the JVM takes the first (the kernel
                // keeps one pending signal per kind): send the second once the first was heard, as a user does.
                sweep.awaitErr(err -> err.contains("SIGTERM: stopping"), "the first signal heard");
                sweep.signal("TERM");
                final int status = sweep.awaitExit(40);
                final String out = sweep.out();
                assertEquals(143, status, out + sweep.err());
                assertTrue(out.contains("INTERRUPTED by SIGTERM: only the steps above finished"), out);
                assertTrue(out.contains("verdict: INTERRUPTED (exit 143): interrupted by SIGTERM after 1 step"), out);
                final Object root = MiniJson.parse(Files.readString(json, StandardCharsets.UTF_8));
                assertEquals("SIGTERM", MiniJson.at(root, "interrupted"));
                assertEquals(143.0, MiniJson.at(root, "verdict.exitCode"));
                final List<?> steps = (List<?>) MiniJson.at(root, "steps");
                assertEquals(1, steps.size(), "only the finished step: " + steps);
                assertEquals(200.0, MiniJson.at(steps.get(0), "rate.target"));
                assertEquals(Boolean.TRUE, MiniJson.at(root, "search.interrupted"));
                assertTrue(Files.readString(report, StandardCharsets.UTF_8).contains("INTERRUPTED"));
            }
        }
    }

    // Catches: compare --sweep not watching signals, dropping the finished steps of the cell under way, or
    // losing the server's cost of the finished step.
    @Test
    @Timeout(150)
    void compareSweepShouldKeepTheFinishedStepsOnSigint() throws Exception {
        final Path json = dir.resolve("compare.json");
        final Path report = dir.resolve("compare.html");
        try (ChildRingside compare = ChildRingside.start(dir, "compare", "--models", "selector,thread",
            "--connections", "2", "--sweep", "200,400,800", "--duration", "2s", "--warmup", "0", "--no-pin", "--logs",
            dir.resolve("logs").toString(), "--json", json.toString(), "--report", report.toString())) {
            compare.awaitErr(err -> err.contains("ringside compare --sweep:   200 msg/s"), "the first step's end");
            compare.signal("INT");
            final int status = compare.awaitExit(60);
            final String out = compare.out();
            assertEquals(130, status, out + compare.err());
            assertTrue(out.contains("INTERRUPTED by SIGINT: only the steps above finished"), out);
            assertTrue(out.contains("verdict: INTERRUPTED (exit 130)"), out);
            final Object root = MiniJson.parse(Files.readString(json, StandardCharsets.UTF_8));
            assertEquals("SIGINT", MiniJson.at(root, "interrupted"));
            final List<?> cells = (List<?>) MiniJson.at(root, "cells");
            assertEquals(1, cells.size(), "the thread model never started");
            final List<?> steps = (List<?>) MiniJson.at(cells.get(0), "sweep.steps");
            assertEquals(1, steps.size(), "200 finished, 400 was cut short: " + steps);
            assertNotNull(MiniJson.at(steps.get(0), "server.rssBytes"), "the finished step keeps its server cost");
            assertTrue(Files.readString(report, StandardCharsets.UTF_8).contains("INTERRUPTED"));
            assertServersStopped(dir.resolve("logs"));
        }
    }

    // Catches: compare not watching signals, or keeping the cut-short cell among the finished ones.
    @Test
    @Timeout(150)
    void compareShouldKeepTheFinishedCellsOnSigint() throws Exception {
        final Path json = dir.resolve("compare.json");
        try (ChildRingside compare = ChildRingside.start(dir, "compare", "--models", "selector,thread",
            "--connections", "2", "--rate", "200", "--duration", "30s", "--warmup", "0", "--no-pin", "--logs",
            dir.resolve("logs").toString(), "--json", json.toString())) {
            compare.awaitErr(err -> err.contains("[2/2] thread"), "the second cell's start");
            compare.signal("INT");
            final int status = compare.awaitExit(60);
            final String out = compare.out();
            assertEquals(130, status, out + compare.err());
            assertTrue(out.contains("INTERRUPTED by SIGINT: only the cells above finished"), out);
            assertTrue(out.contains("verdict: INTERRUPTED by SIGINT, 1 cells finished (exit 130)"), out);
            final Object root = MiniJson.parse(Files.readString(json, StandardCharsets.UTF_8));
            assertEquals("SIGINT", MiniJson.at(root, "interrupted"));
            final List<?> cells = (List<?>) MiniJson.at(root, "cells");
            assertEquals(1, cells.size(), cells.toString());
            assertEquals("selector", MiniJson.at(cells.get(0), "model"));
            assertServersStopped(dir.resolve("logs"));
        }
    }

    // Catches: demo not watching signals (no summary, no JSON), or leaving its server child running.
    @Test
    @Timeout(150)
    void demoShouldReportWhatItMeasuredAndStopItsServerOnSigint() throws Exception {
        final Path out = dir.resolve("demo");
        try (ChildRingside demo = ChildRingside.start(dir, "demo", "--connections", "20", "--rate", "200",
            "--duration", "60s", "--warmup", "0", "--no-pin", "--out", out.toString())) {
            demo.awaitErr(err -> err.indexOf("measuring") != err.lastIndexOf("measuring"), "two measured seconds");
            demo.signal("INT");
            final int status = demo.awaitExit(60);
            final String text = demo.out();
            assertEquals(130, status, text + demo.err());
            assertTrue(text.contains("verdict: INTERRUPTED (exit 130): interrupted by SIGINT"), text);
            final Object root = MiniJson.parse(Files.readString(out.resolve("demo.json"), StandardCharsets.UTF_8));
            assertEquals("SIGINT", MiniJson.at(root, "interrupted"));
            assertTrue((Double) MiniJson.at(root, "requests.completed") > 0, "it measured something");
            assertTrue(Files.readString(out.resolve("demo.html"), StandardCharsets.UTF_8).contains("INTERRUPTED"));
            final Matcher pid = Pattern.compile("child process, pid (\\d+)").matcher(text);
            assertTrue(pid.find(), text);
            assertFalse(ProcessHandle.of(Long.parseLong(pid.group(1))).map(ProcessHandle::isAlive).orElse(false),
                "the server child is stopped");
            assertTrue(text.contains("stopped the server child"), text);
        }
    }

    /** Every server child printed its final counters: it was stopped by SIGTERM to its pid, not left running. */
    private static void assertServersStopped(final Path logs) throws Exception {
        try (var files = Files.list(logs)) {
            for (final Path log : files.toList()) {
                final String text = Files.readString(log, StandardCharsets.UTF_8);
                assertTrue(text.contains("final counters"), log + ":\n" + text);
            }
        }
    }

    /** Echoes on the first {@code echoed} connections; later ones read and never answer. */
    private static final class EchoThenSilent extends StreamOnlyProtocol {
        private final EchoProtocol echo = new EchoProtocol();
        private final AtomicInteger sessions = new AtomicInteger();
        private final int echoed;

        EchoThenSilent(final int echoed) {
            super("echo-then-silent");
            this.echoed = echoed;
        }

        @Override
        public Session newSession(final SessionContext context) {
            if (sessions.incrementAndGet() <= echoed) {
                return echo.newSession(context);
            }
            return (in, out) -> {
                in.consume(in.readableBytes());
                return 1;
            };
        }
    }
}
