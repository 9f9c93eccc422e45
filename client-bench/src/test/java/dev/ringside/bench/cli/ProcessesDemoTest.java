package dev.ringside.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.ringside.bench.record.MergedLogs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code demo --processes 2} at a few hundred connections: the path that {@code demo --connections 100000}
 * takes (a prefork server, {@code bench --processes}, memory per connection on both sides), on real loopback
 * sockets with real child processes, small enough for every build.
 *
 * <p>Tried against a deliberate bug, which fails it: {@code FleetResult} taking the established connections
 * from the first child's log only (a child's connections not counted: 150 of 300, exit 1).
 */
class ProcessesDemoTest {
    private static final Pattern PIDS = Pattern.compile("worker processes \\(pids \\[([\\d, ]+)]\\)");
    private static final Pattern SIDE = Pattern.compile(
        "ringside demo: (server|generator)\\s+(\\d+) processes, RSS ([\\d,]+) MB \\(([\\d,]+) B per connection\\)");

    @TempDir
    Path dir;

    @Test
    @Timeout(240)
    void shouldRunPreforkServerAndGeneratorProcessesAndReportBothSides() throws Exception {
        final int connections = 300;
        // --no-pin: pinning would move this test JVM's threads onto one CPU for the rest of the build.
        final CliRun run = CliRun.of("demo", "--connections", Integer.toString(connections), "--processes", "2",
            "--rate", "600", "--duration", "2s", "--warmup", "1s", "--out", dir.toString(), "--no-pin",
            "--no-progress");
        final String text = run.out();
        assertEquals(0, run.status(), text + run.err());
        assertTrue(text.contains("verdict: CLEAN (exit 0)"), text);
        assertTrue(run.err().contains("2 of 2 generator processes ready"), run.err());
        assertTrue(text.contains("ringside demo: 300 connections established of 300, 0 errors; every connection "
            + "open"), text);
        assertFalse(text.contains("every connection open never"), text);

        // Both sides measured, each with its own processes and a resident set per connection.
        final Matcher side = SIDE.matcher(text);
        final List<String> sides = new ArrayList<>();
        while (side.find()) {
            sides.add(side.group(1));
            assertEquals("2", side.group(2), side.group());
            assertTrue(Long.parseLong(side.group(4).replace(",", "")) > 0, side.group());
        }
        assertEquals(List.of("server", "generator"), sides, text);
        assertTrue(text.contains("more slab + TCP buffer memory than before the server started"), text);

        // The merged figures are the children's own, each counted once.
        final Object json = MiniJson.parse(Files.readString(dir.resolve("demo.json"), StandardCharsets.UTF_8));
        assertEquals(300.0, MiniJson.at(json, "connections.established"));
        assertEquals(0.0, MiniJson.at(json, "errors.total"));
        long established = 0;
        long sent = 0;
        long completed = 0;
        final List<Long> perChild = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            final MergedLogs own = MergedLogs.read(List.of(dir.resolve("generators/generator-" + i + ".hlog")));
            assertTrue(own.allFilesHaveTotals(), "generator " + i + " ended its log with its totals");
            perChild.add(Math.round(own.total("connections.established")));
            established += perChild.get(i - 1);
            sent += Math.round(own.total("requests.sent"));
            completed += Math.round(own.total("requests.completed"));
        }
        assertEquals(List.of(150L, 150L), perChild, "the connections split evenly");
        assertEquals(connections, established);
        assertTrue(sent > 0, "traffic on the connections");
        assertEquals((double) sent, MiniJson.at(json, "requests.sent"));
        assertEquals((double) completed, MiniJson.at(json, "requests.completed"));
        assertEquals(sent, completed, "every request answered");

        // The server and its workers are stopped.
        final Matcher pids = PIDS.matcher(text);
        assertTrue(pids.find(), text);
        for (final String pid : pids.group(1).split(",\\s*")) {
            assertFalse(ProcessHandle.of(Long.parseLong(pid.trim())).map(ProcessHandle::isAlive).orElse(false),
                "worker " + pid + " stopped");
        }
        assertTrue(text.contains("ringside demo: stopped the server"), text);
    }

    /**
     * Too many processes, or a negative count: one line that names 0, the default, among the values it takes (it
     * said "between 1 and --connections" while taking 0).
     */
    @ParameterizedTest
    @ValueSource(strings = {"4", "-1"})
    void shouldRefuseACountOutsideZeroToTheConnections(final String count) {
        final CliRun run = CliRun.of("demo", "--connections", "3", "--processes", count);
        assertEquals(2, run.status(), run.out() + run.err());
        assertTrue(run.err().contains("--processes must be 0 (the default: as many as the connections need) or "
            + "between 1 and --connections (3), got " + count), run.err());
        assertEquals(1, run.err().strip().lines().count(), "one line: " + run.err());
    }
}
