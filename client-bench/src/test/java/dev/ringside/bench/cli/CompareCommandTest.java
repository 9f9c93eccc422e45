package dev.ringside.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.ringside.bench.command.CommandLauncher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ringside compare} on a tiny matrix with real server child processes on loopback: the table, the
 * JSON and the HTML report carry every cell, including cells a model could not serve; every child is
 * stopped; mistakes on the command line are one line and a non-zero exit.
 */
class CompareCommandTest {
    @TempDir
    Path dir;

    /** Result of one command: exit status, stdout, stderr. */
    private record Run(int status, String out, String err) {
    }

    private static Run ringside(final String... args) {
        final PrintStream savedOut = System.out;
        final PrintStream savedErr = System.err;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        final StringWriter err = new StringWriter();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            final CommandLine commandLine = CommandLauncher.commandLine(new RingsideCommand());
            commandLine.setErr(new PrintWriter(err, true));
            final int status = commandLine.execute(args);
            return new Run(status, out.toString(StandardCharsets.UTF_8),
                err + errBytes.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
    }

    @Test
    @Timeout(180)
    void shouldTabulateTwoModelsAtTwoConnectionCountsAsTableJsonAndHtml() throws Exception {
        final Path json = dir.resolve("compare.json");
        final Path html = dir.resolve("compare.html");
        // pool with one thread serves one of three connections: that cell must say so, not fail. --no-pin: pinning
        // would move this test JVM's threads for the rest of the build.
        final Run run = ringside("compare", "--models", "selector,pool", "--threads", "1", "--connections", "1,3",
            "--rate", "300", "--duration", "1s", "--warmup", "300ms", "--timeout", "2s", "--no-pin",
            "--json", json.toString(), "--report", html.toString(), "--logs", dir.resolve("logs").toString());
        assertEquals(0, run.status(), run.out() + run.err());

        // The table: a header and one row per cell, in model-major order.
        final List<String> rows = new ArrayList<>();
        for (final String line : run.out().split("\n")) {
            if (line.matches("(selector|pool)\\s+\\d+\\s.*")) {
                rows.add(line);
            }
        }
        assertEquals(4, rows.size(), run.out());
        assertTrue(java.util.regex.Pattern.compile("\\nmodel {2,}conns {2,}connected {2,}rate/s {2,}p50 {2,}p99 {2,}"
            + "p99\\.9 {2,}errors {2,}cpu/msg {2,}cpu% {2,}cs/msg {2,}rss {2,}threads {2,}what happened\\n")
            .matcher(run.out()).find(), "columns two spaces apart at least: " + run.out());
        assertTrue(rows.get(0).matches("selector\\s+1\\s+1\\s+300\\s+.*\\s+0\\s+.*ok"), rows.get(0));
        assertTrue(rows.get(1).matches("selector\\s+3\\s+3\\s+300\\s+.*\\s+0\\s+.*ok"), rows.get(1));
        assertTrue(rows.get(2).matches("pool\\s+1\\s+1\\s+300\\s+.*ok"), rows.get(2));
        // The starved connections' first requests (in the warm-up) never got a reply, so they sent nothing since.
        assertTrue(rows.get(3).matches("pool\\s+3\\s+3\\s+.*rate \\d+\\.\\d% of target.*"),
            "the starved pool cell says what happened: " + rows.get(3));

        // The JSON: every cell, its measurements, and each server child stopped.
        final Object root = MiniJson.parse(Files.readString(json));
        assertEquals(List.of("selector", "pool"), MiniJson.at(root, "parameters.models"));
        assertEquals(List.of("ringside", "compare", "--models", "selector,pool"),
            ((List<?>) MiniJson.at(root, "command")).subList(0, 4), "argv");
        assertEquals(1.0, MiniJson.at(root, "schemaVersion"));
        assertEquals(300.0, MiniJson.at(root, "parameters.rateTarget"));
        assertEquals((double) Runtime.getRuntime().availableProcessors(), MiniJson.at(root, "machine.cpus"));
        assertEquals(0.0, MiniJson.at(root, "verdict.exitCode"));
        final List<?> cells = (List<?>) MiniJson.at(root, "cells");
        assertEquals(4, cells.size());
        final long[] requested = {1, 3, 1, 3};
        for (int i = 0; i < 4; i++) {
            final Object cell = cells.get(i);
            assertEquals(i < 2 ? "selector" : "pool", MiniJson.at(cell, "model"));
            assertEquals(requested[i], number(cell, "connections.requested"));
            assertEquals(requested[i], number(cell, "connections.established"));
            assertTrue(number(cell, "latencyUs.p50") > 0 && number(cell, "latencyUs.p99")
                >= number(cell, "latencyUs.p50"), "latency of cell " + i);
            assertTrue(number(cell, "server.peakRssBytes") > 8 * 1024 * 1024, "a JVM's memory, cell " + i);
            assertTrue(number(cell, "server.maxThreads") >= 5, "a JVM's threads, cell " + i);
            assertTrue(number(cell, "server.cpuUsPerMessage") >= 0, "cpu per message, cell " + i);
            assertTrue(number(cell, "server.cpuPercent") >= 0, "cpu percent, cell " + i);
            assertTrue(number(cell, "server.contextSwitchesPerMessage") > 0, "a reply costs a wake-up, cell " + i);
            final long pid = (long) number(cell, "server.pid");
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "server " + pid + " lives");
        }
        for (final int ok : new int[] {0, 1, 2}) {
            assertEquals("ok", MiniJson.at(cells.get(ok), "outcome"));
            assertEquals(300, number(cells.get(ok), "rate.achieved"), 15, "cell " + ok);
            assertEquals(0, number(cells.get(ok), "errors.total"));
        }
        final Object starved = cells.get(3);
        assertEquals("degraded", MiniJson.at(starved, "outcome"));
        // The two starved connections' first requests (warm-up) never got a reply: they sent nothing measured
        // since, so the window holds the served connection's third of the schedule (warm-up is in no count).
        assertTrue(number(starved, "requests.sent") < 0.5 * 300, "two connections never served");
        assertTrue(number(starved, "rate.achieved") < 0.5 * 300, "one connection of three is served");
        // One thread serving a connection, whatever the pool's queue holds: the thread count does not grow.
        assertTrue(number(starved, "server.maxThreads") <= number(cells.get(2), "server.maxThreads") + 2,
            "pool threads are fixed");

        // The HTML: the same cells, and one chart per measure with a line per model.
        final String page = Files.readString(html);
        for (final String title : new String[] {"p99 latency vs connections", "Server CPU per reply vs connections",
            "Server context switches per reply vs connections", "Server peak memory vs connections",
            "Server threads vs connections", "Achieved rate vs connections"}) {
            assertTrue(page.contains("<h2>" + title + "</h2>"), title);
        }
        assertEquals(6, count(page, "<svg"), "six charts");
        // A line per model in each chart; the CPU chart may lack one: at 300 msg/s a window can cost the server
        // less than one 10 ms clock tick, which a log axis cannot place.
        assertTrue(count(page, "<polyline") >= 4 * 2, "a line per model in each chart");
        assertEquals(6, count(page, ">selector</text>"), "selector in every legend");
        assertTrue(page.contains("% of target"), "the starved cell's note is in the page");
        assertTrue(page.contains("<tr style=\"background:#fde8e8\"><td class=\"l\">pool</td><td>3</td>"),
            "the starved cell is marked");
        assertFalse(Pattern.compile("(src|href)=|<script").matcher(page).find(), "self-contained");
    }

    @Test
    @Timeout(120)
    void shouldShowCellsAModelCannotServeInsteadOfStopping() throws Exception {
        final Path json = dir.resolve("refused.json");
        // multi splits a chat room across loops: its server refuses to start. virtual on JDK 17 needs a newer JVM.
        final Run run = ringside("compare", "--models", "virtual,multi", "--loops", "2", "--protocol", "chat",
            "--connections", "2", "--rate", "100", "--duration", "1s", "--warmup", "0s", "--no-pin",
            "--json", json.toString(), "--logs", dir.resolve("logs").toString());
        assertEquals(0, run.status(), run.out() + run.err());
        final List<?> cells = (List<?>) MiniJson.at(MiniJson.parse(Files.readString(json)), "cells");
        assertEquals(2, cells.size());
        if (Runtime.version().feature() < 21) {
            assertEquals("needs JDK 21", MiniJson.at(cells.get(0), "outcome"));
            assertTrue(((String) MiniJson.at(cells.get(0), "note")).contains("--java"), run.out());
            assertTrue(run.out().matches("(?s).*\\nvirtual\\s+2\\s+-\\s+-.*needs JDK 21\\+.*"), run.out());
        } else {
            assertEquals("ok", MiniJson.at(cells.get(0), "outcome"), run.out());
        }
        assertEquals("server failed", MiniJson.at(cells.get(1), "outcome"));
        final String note = (String) MiniJson.at(cells.get(1), "note");
        assertTrue(note.contains("drop --loops"), "the server's own reason: " + note);
        assertTrue(run.out().contains("drop --loops"), run.out());
    }

    @Test
    void shouldRefuseMistakesInOneLine() {
        final String[][] mistakes = {
            {"--models", "iterative,bogus"},
            {"--models", "thread,thread"},
            {"--connections", "10,0"},
            {"--connections", "10,x"},
            {"--models", "thread", "--threads", "4"},
            {"--models", "pool", "--workers", "2"},
            {"--java", "/nonexistent/bin/java"},
            {"--json", "/nonexistent-dir/out.json"},
            {"--protocol", "gopher"},
            {"--rate", "0"},
            {"--protocol", "rr", "--size", "5000"},
            {"--protocol", "chat", "--connections", "1"},
            {"--duration", "soon"},
            {"--no-such-flag"},
        };
        for (final String[] mistake : mistakes) {
            final String[] args = new String[mistake.length + 1];
            args[0] = "compare";
            System.arraycopy(mistake, 0, args, 1, mistake.length);
            final Run run = ringside(args);
            final String what = String.join(" ", mistake) + " -> " + run.err();
            assertNotEquals(0, run.status(), what);
            assertEquals(1, run.err().strip().split("\n").length, "one line: " + what);
            assertTrue(run.err().startsWith("ringside compare: "), what);
            assertFalse(run.err().contains("Exception"), what);
            assertEquals("", run.out(), what);
        }
    }

    private static double number(final Object root, final String path) {
        final Object value = MiniJson.at(root, path);
        assertTrue(value instanceof Number, path + " is " + value);
        return ((Number) value).doubleValue();
    }

    private static int count(final String text, final String part) {
        int count = 0;
        final Matcher matcher = Pattern.compile(Pattern.quote(part)).matcher(text);
        while (matcher.find()) {
            count++;
        }
        return count;
    }
}
