package dev.ringside.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.ringside.bench.compare.ServerChild;
import dev.ringside.bench.process.DefaultSignals;
import dev.ringside.bench.record.MergedLogs;
import dev.ringside.engine.protocol.echo.EchoProtocol;
import dev.ringside.engine.testing.LoopHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench --processes 3} against the engine on loopback: the connections split between three child
 * generators, their counts merged exactly into one JSON, interval log and report; a child killed mid-run fails
 * the run and is named; SIGINT to the parent stops every child and keeps the results.
 */
class BenchProcessesTest {
    private static final Pattern DIR = Pattern.compile("their output and interval logs are in (\\S+)");
    private static final Pattern CHILD = Pattern.compile("started generator (\\d) of 3 \\(pid (\\d+)\\)");

    @TempDir
    Path dir;

    private static double number(final Object root, final String path) {
        return (Double) MiniJson.at(root, path);
    }

    /**
     * Catches a split that drops the remainder (6 of 7 connections), a merge that counts one child twice or
     * not at all, and a parent whose JSON is not the sum of its children's totals (each tried once).
     */
    @Test
    @Timeout(120)
    void shouldSplitConnectionsAndMergeTheChildrensCountsExactly() throws Exception {
        try (LoopHarness harness = new LoopHarness(LoopHarness.smallConfig())) {
            final InetSocketAddress address = harness.listenTcp(new EchoProtocol());
            harness.startThread();
            final Path json = dir.resolve("run.json");
            final Path hlog = dir.resolve("run.hlog");
            final Path html = dir.resolve("run.html");
            final CliRun run = CliRun.of("bench", "--target", "127.0.0.1:" + address.getPort(), "--processes", "3",
                "--connections", "7", "--rate", "210", "--duration", "2s", "--warmup", "0", "--timeout", "1s",
                "--json", json.toString(), "--hlog", hlog.toString(), "--report", html.toString());
            assertEquals(0, run.status(), run.out() + run.err());
            final Matcher where = DIR.matcher(run.err());
            assertTrue(where.find(), run.err());
            final Path children = Path.of(where.group(1));
            long sent = 0;
            long completed = 0;
            long samples = 0;
            long opened = 0;
            long connects = 0;
            final List<Long> connections = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                final MergedLogs own = MergedLogs.read(List.of(children.resolve("generator-" + i + ".hlog")));
                assertTrue(own.allFilesHaveTotals(), "child " + i + " ended its log with its totals");
                connections.add(Math.round(own.total("connections.established")));
                sent += Math.round(own.total("requests.sent"));
                completed += Math.round(own.total("requests.completed"));
                samples += own.corrected().getTotalCount();
                opened += Math.round(own.total("connections.opened"));
                connects += own.connectLatency().getTotalCount();
            }
            assertEquals(List.of(3L, 2L, 2L), connections, "7 connections split as evenly as whole ones allow");
            final Object root = MiniJson.parse(Files.readString(json, StandardCharsets.UTF_8));
            assertEquals(7.0, number(root, "connections.requested"));
            assertEquals(7.0, number(root, "connections.established"));
            assertEquals(3.0, number(root, "parameters.processes"));
            assertTrue(sent > 0, "the children measured something");
            assertEquals(sent, number(root, "requests.sent"), "the parent's sent is the sum of its children's");
            assertEquals(completed, number(root, "requests.completed"));
            assertEquals(samples, number(root, "samples"), "and its latency the union of their histograms");
            assertEquals(number(root, "requests.sent"), number(root, "requests.completed")
                + number(root, "requests.failed") + number(root, "requests.inFlightAtEnd"), "every request ends once");
            assertEquals(0.0, number(root, "errors.total"));
            assertEquals(opened, number(root, "connections.opened"), "reconnect figures add up too");
            assertEquals(connects, number(root, "connectSamples"));
            assertEquals(0.0, number(root, "connections.reconnects"));
            final MergedLogs parentLog = MergedLogs.read(List.of(hlog));
            assertEquals(samples, parentLog.corrected().getTotalCount(), "one interval log holding every sample");
            assertEquals((double) sent, parentLog.total("requests.sent"), "and the merged totals");
            assertTrue(Files.readString(html).contains("3 (connections 3+2+2)"), "one report");
            assertTrue(run.out().contains("verdict: CLEAN (exit 0)"), run.out());
        }
    }

    private Process parent(final InetSocketAddress target) throws IOException {
        final List<String> command = new ArrayList<>(ServerChild.ringsideCommand(ServerChild.currentJava()));
        command.addAll(List.of("bench", "--target", "127.0.0.1:" + target.getPort(), "--processes", "3",
            "--connections", "6", "--rate", "120", "--duration", "30s", "--warmup", "0", "--timeout", "1s",
            "--json", dir.resolve("run.json").toString()));
        return new ProcessBuilder(DefaultSignals.prefixed(command)).redirectOutput(dir.resolve("out.txt").toFile())
            .redirectError(dir.resolve("err.txt").toFile()).start();
    }

    /** Waits (bounded) until the parent's progress line shows two measuring intervals over the children. */
    private String awaitMeasuring(final Process parent) throws Exception {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() - deadline < 0 && parent.isAlive()) {
            final String err = Files.readString(dir.resolve("err.txt"));
            if (err.indexOf("measuring") != err.lastIndexOf("measuring")) {
                return err;
            }
            parent.waitFor(50, TimeUnit.MILLISECONDS);
        }
        throw new AssertionError("the children never measured: " + Files.readString(dir.resolve("err.txt")));
    }

    private static void signal(final long pid, final String name) throws Exception {
        final Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, kill.exitValue());
    }

    private static List<Long> childPids(final String err) {
        final List<Long> pids = new ArrayList<>();
        final Matcher child = CHILD.matcher(err);
        while (child.find()) {
            pids.add(Long.parseLong(child.group(2)));
        }
        assertEquals(3, pids.size(), err);
        return pids;
    }

    /** Catches a parent that takes a child's SIGKILL for an interruption, or waits for the others' 30 s. */
    @Test
    @Timeout(120)
    void shouldFailTheRunNamingAChildThatWasKilled() throws Exception {
        try (LoopHarness harness = new LoopHarness(LoopHarness.smallConfig())) {
            final InetSocketAddress address = harness.listenTcp(new EchoProtocol());
            harness.startThread();
            final Process parent = parent(address);
            try {
                final long victim = childPids(awaitMeasuring(parent)).get(1);
                signal(victim, "KILL");
                assertTrue(parent.waitFor(25, TimeUnit.SECONDS), "the run ended well before the children's 30 s");
                final String out = Files.readString(dir.resolve("out.txt"));
                assertEquals(4, parent.exitValue(), out + Files.readString(dir.resolve("err.txt")));
                assertTrue(out.contains("verdict: GENERATOR-FAILED (exit 4): the generator failed: generator 2 of 3 "
                    + "(pid " + victim + ") was killed by signal 9"), out);
                final Object root = MiniJson.parse(Files.readString(dir.resolve("run.json")));
                assertTrue(String.valueOf(MiniJson.at(root, "generator.failure")).contains("generator 2 of 3"));
                assertTrue(number(root, "requests.sent") > 0, "the others kept what they measured");
            } finally {
                parent.destroyForcibly();
            }
        }
    }

    /** Catches a parent that does not pass the signal on (its children would run their 30 s). */
    @Test
    @Timeout(120)
    void shouldStopEveryChildAndKeepTheResultsOnSigint() throws Exception {
        try (LoopHarness harness = new LoopHarness(LoopHarness.smallConfig())) {
            final InetSocketAddress address = harness.listenTcp(new EchoProtocol());
            harness.startThread();
            final Process parent = parent(address);
            try {
                final List<Long> children = childPids(awaitMeasuring(parent));
                signal(parent.pid(), "INT");
                assertTrue(parent.waitFor(25, TimeUnit.SECONDS), "the run ended well before the children's 30 s");
                final String out = Files.readString(dir.resolve("out.txt"));
                assertEquals(130, parent.exitValue(), out + Files.readString(dir.resolve("err.txt")));
                assertTrue(out.contains("verdict: INTERRUPTED (exit 130): interrupted by SIGINT"), out);
                for (final long pid : children) {
                    assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
                        "child " + pid + " has ended");
                }
                final Object root = MiniJson.parse(Files.readString(dir.resolve("run.json")));
                assertEquals("SIGINT", MiniJson.at(root, "interrupted"));
                final double sent = number(root, "requests.sent");
                assertTrue(sent > 0, "what was measured is kept");
                assertEquals(sent, number(root, "requests.completed") + number(root, "requests.failed")
                    + number(root, "requests.inFlightAtEnd"));
                assertNotNull(MiniJson.at(root, "latencyUs.p99"));
            } finally {
                parent.destroyForcibly();
            }
        }
    }
}
