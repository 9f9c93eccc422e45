package dev.ringside.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.ringside.bench.record.MergedLogs;
import dev.ringside.engine.protocol.ProtocolSpec;
import dev.ringside.engine.protocol.echo.EchoProtocol;
import dev.ringside.engine.protocols.Protocols;
import dev.ringside.bench.command.CommandLauncher;
import dev.ringside.engine.testing.LoopHarness;
import dev.ringside.engine.testing.RealServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user meets it: outputs, JSON keys, merge, and one-line errors. */
class CommandLineTest {
    private static final List<String> JSON_KEYS = List.of("connections.requested", "connections.established",
        "rate.target", "rate.achieved", "requests.sent", "requests.completed", "errors.total",
        "errors.connectRefused", "errors.connectTimeout", "errors.reset", "errors.closedByPeer",
        "errors.verification", "errors.responseTimeout", "errors.httpNon2xx", "errors.udpLoss",
        "latencyUs.p50", "latencyUs.p90", "latencyUs.p99", "latencyUs.p999", "latencyUs.p9999", "latencyUs.max",
        "latencyUs.mean", "uncorrectedLatencyUs.p50", "uncorrectedLatencyUs.p90", "uncorrectedLatencyUs.p99",
        "uncorrectedLatencyUs.p999", "uncorrectedLatencyUs.p9999", "uncorrectedLatencyUs.max",
        "uncorrectedLatencyUs.mean", "durationS");

    @TempDir
    Path dir;

    private static CliRun ringside(final String... args) {
        return CliRun.of(args);
    }

    private static String target(final InetSocketAddress address) {
        return "127.0.0.1:" + address.getPort();
    }

    @Test
    @Timeout(60)
    void shouldWriteSummaryJsonIntervalLogAndReport() throws Exception {
        try (LoopHarness server = new LoopHarness(LoopHarness.smallConfig())) {
            final InetSocketAddress address = server.listenTcp(new EchoProtocol());
            server.startThread();
            final Path json = dir.resolve("run.json");
            final Path hlog = dir.resolve("run.hlog");
            final Path html = dir.resolve("run.html");
            final CliRun run = ringside("bench", "--target", target(address), "--connections", "20", "--rate", "1000",
                "--duration", "2s", "--warmup", "500ms", "--json", json.toString(), "--hlog", hlog.toString(),
                "--report", html.toString(), "--latency-distribution");
            assertEquals(0, run.status(), run.err());
            assertTrue(run.out().contains("2000 sent = 2000 completed + 0 failed + 0 in flight at the end"), run.out());
            assertTrue(run.out().contains("corrected latency distribution (us):"), run.out());
            assertFalse(run.out().contains("WARNING"), run.out());
            assertTrue(run.err().contains("measuring  conns 20/20"), "progress on stderr: " + run.err());

            final Object root = MiniJson.parse(Files.readString(json));
            for (final String key : JSON_KEYS) {
                assertTrue(MiniJson.at(root, key) instanceof Double, key + " is a number");
            }
            assertEquals(2000.0, MiniJson.at(root, "requests.completed"));
            assertEquals(1000.0, MiniJson.at(root, "rate.target"));
            assertEquals(2.0, MiniJson.at(root, "durationS"));
            assertEquals(0.0, MiniJson.at(root, "errors.total"));
            final double p50 = (Double) MiniJson.at(root, "latencyUs.p50");
            final double max = (Double) MiniJson.at(root, "latencyUs.max");
            assertTrue(p50 > 0 && p50 <= max, "microseconds, ordered: " + p50 + " " + max);

            final MergedLogs log = MergedLogs.read(List.of(hlog));
            assertEquals(2000, log.corrected().getTotalCount(), "the interval log holds every measured sample");
            assertEquals(2000, log.uncorrected().getTotalCount());
            assertEquals(2000.0, log.total("requests.completed"));

            final String report = Files.readString(html);
            assertEquals(3, report.split("<svg", -1).length - 1, "three charts");
            assertFalse(report.contains("<script src") || report.contains("<link"), "self-contained");
        }
    }

    @Test
    @Timeout(60)
    void shouldMergeLogsFromSeveralRunsIntoOneSummary() throws Exception {
        try (LoopHarness server = new LoopHarness(LoopHarness.smallConfig())) {
            final InetSocketAddress address = server.listenTcp(new EchoProtocol());
            server.startThread();
            for (final String name : List.of("a", "b")) {
                final CliRun run = ringside("bench", "--target", target(address), "--connections", "5", "--rate", "500",
                    "--duration", "1s", "--warmup", "0", "--no-progress", "--hlog", dir.resolve(name + ".hlog")
                        .toString());
                assertEquals(0, run.status(), run.err());
            }
            final Path json = dir.resolve("merged.json");
            final CliRun merge = ringside("merge", dir.resolve("a.hlog").toString(), dir.resolve("b.hlog").toString(),
                "--json", json.toString());
            assertEquals(0, merge.status(), merge.err());
            assertTrue(merge.out().contains("merge of 2 interval logs"), merge.out());
            final Object root = MiniJson.parse(Files.readString(json));
            for (final String key : JSON_KEYS) {
                MiniJson.at(root, key);
            }
            assertEquals(1000.0, MiniJson.at(root, "requests.completed"));
            assertEquals(10.0, MiniJson.at(root, "connections.requested"));
            assertEquals(1000.0, MiniJson.at(root, "rate.target"));
            assertEquals(1000.0, MiniJson.at(root, "samples"));
        }
    }

    @Test
    void shouldGenerateProtocolHelpAndOptionsFromTheRegistry() {
        // Help wraps long lines: compare with runs of white space made one space.
        final String bench = ringside("bench", "--help").out().replaceAll("\\s+", " ");
        for (final ProtocolSpec spec : Protocols.drivable()) {
            assertTrue(bench.contains(spec.name() + ": " + spec.help()), spec.name() + " in\n" + bench);
            spec.clientOptions().forEach(option -> assertTrue(bench.contains(option.name()), option.name()));
            if (spec.size().applies()) {
                assertTrue(bench.contains(spec.size().covers()), spec.size().covers() + " in\n" + bench);
            }
        }
        assertFalse(bench.contains("--max-line"), "server options are not the generator's");
        final String compare = ringside("compare", "--help").out().replaceAll("\\s+", " ");
        for (final ProtocolSpec spec : Protocols.comparable()) {
            Protocols.bothSides(spec).forEach(option -> assertTrue(compare.contains(option.name()), option.name()));
        }
        assertFalse(compare.contains("discard:"), "compare cannot drive a protocol that never replies");
    }

    @Test
    void shouldRejectMistakesWithOneLineAndANonZeroExit() {
        final List<String[]> mistakes = List.of(
            new String[] {"bench", "--rate", "100"},
            new String[] {"bench", "--target", "127.0.0.1:5000"},
            new String[] {"bench", "--target", "127.0.0.1:5000", "--rate", "-5"},
            new String[] {"bench", "--target", "127.0.0.1:5000", "--rate", "100", "--closed-loop"},
            new String[] {"bench", "--target", "127.0.0.1:5000", "--rate", "100", "--protocol", "smtp"},
            new String[] {"bench", "--target", "127.0.0.1:5000", "--rate", "100", "--protocol", "http", "--udp"},
            new String[] {"bench", "--target", "127.0.0.1:5000", "--rate", "100", "--protocol", "sockperf",
                "--size", "8"},
            new String[] {"bench", "--target", "127.0.0.1:5000", "--rate", "100", "--size", "lots"},
            new String[] {"bench", "--target", "127.0.0.1:5000", "--rate", "100", "--duration", "soon"},
            new String[] {"bench", "--target", "nowhere:x", "--rate", "100"},
            new String[] {"bench", "--target", "127.0.0.1:5000", "--rate", "100", "--bind", "127.0.0.9-127.0.0.2"},
            new String[] {"bench", "--target", "127.0.0.1:5000", "--rate", "100", "--frobnicate"},
            new String[] {"bench", "--target", "127.0.0.1:5000", "--rate", "100", "--connections", "1000000"},
            new String[] {"bench", "--target", "127.0.0.1:5000", "--rate", "100", "--threads", "30"},
            new String[] {"bench", "--target", "127.0.0.1:5000", "--rate", "100", "--path", "/x"},
            new String[] {"bench", "--target", "127.0.0.1:5000", "--rate", "100", "--protocol", "http", "--path", "x"},
            new String[] {"bench", "--target", "127.0.0.1:5000", "--rate", "100", "--protocol", "discard"},
            new String[] {"bench", "--target", "127.0.0.1:5000", "--rate", "100", "--protocol", "chat",
                "--connections", "4", "--publishers", "9"},
            new String[] {"bench", "--target", "127.0.0.1:5000", "--rate", "100", "--protocol", "raw"},
            new String[] {"bench", "--target", "127.0.0.1:5000", "--rate", "100", "--protocol", "raw", "--message",
                "x"},
            new String[] {"bench", "--target", "127.0.0.1:5000", "--rate", "100", "--protocol", "raw", "--message",
                "a\\q", "--reply-bytes", "1"},
            new String[] {"bench", "--target", "127.0.0.1:5000", "--rate", "100", "--protocol", "redis", "--message",
                "x"},
            new String[] {"bench", "--target", "127.0.0.1:5000", "--rate", "100", "--protocol", "redis", "--udp"},
            new String[] {"bench", "--target", "127.0.0.1:5000", "--rate", "100", "--protocol", "memcached"},
            new String[] {"bench", "--target", "127.0.0.1:5000", "--rate", "100", "--protocol", "memcached",
                "--command", "incr k 1"},
            new String[] {"compare", "--protocol", "redis"},
            new String[] {"compare", "--protocol", "echo", "--max-line", "1k"},
            new String[] {"compare", "--protocol", "discard"},
            new String[] {"merge", dir.resolve("missing.hlog").toString()},
            new String[] {"merge"});
        for (final String[] args : mistakes) {
            final CliRun run = ringside(args);
            final String command = String.join(" ", args);
            assertNotEquals(0, run.status(), command);
            final String err = run.err().strip();
            assertFalse(err.isEmpty(), command);
            assertEquals(1, err.lines().count(), command + " -> " + err);
            assertTrue(err.startsWith("ringside "), command + " -> " + err);
            assertFalse(err.contains("Exception") || err.contains("\tat "), command + " -> " + err);
        }
        // An option of another protocol names its owner (the options come from the registry).
        final CliRun path = ringside("bench", "--target", "127.0.0.1:5000", "--rate", "100", "--path", "/x");
        assertEquals(2, path.status());
        assertEquals("ringside bench: --path goes with --protocol http, not echo", path.err().strip());
    }

    @Test
    @Timeout(60)
    void shouldDriveRealRedisFromTheCommandLine() throws Exception {
        try (RealServer redis = RealServer.redis()) {
            final Path json = dir.resolve("redis.json");
            final CliRun run = ringside("bench", "--target", target(redis.address()), "--protocol", "redis",
                "--command", "SET k \"a b\"", "--command", "GET k", "--command", "NOSUCH", "--connections", "3",
                "--rate", "600", "--duration", "1s", "--warmup", "0s", "--pipeline", "2", "--json", json.toString(),
                "--no-progress");
            assertTrue(Files.exists(json), run.err());
            assertTrue(run.out().contains("SET k \"a b\", GET k, NOSUCH round-robin"), run.out());
            final Object root = MiniJson.parse(Files.readString(json));
            // An error reply ends its request as an error: sent = completed + failed.
            assertEquals(600.0, MiniJson.at(root, "requests.sent"));
            assertEquals(402.0, MiniJson.at(root, "requests.completed"));
            // Each connection sends 200 requests round-robin from its own sequence 0: 66 of them are NOSUCH.
            assertEquals(198.0, MiniJson.at(root, "errors.errorReply"), "every third command is unknown");
            assertEquals(198.0, MiniJson.at(root, "errors.total"));
        }
    }

    @Test
    void shouldTurnARampIntoAConnectRateAndKeepTheLowerOfTheTwo() {
        assertEquals(1000.0, parsed("--connections", "3000", "--ramp", "3s").settings().connectRate());
        assertEquals(200.0, parsed("--connections", "3000", "--ramp", "3s", "--connect-rate", "200").settings()
            .connectRate());
        assertEquals(8, parsed("--bind", "127.0.0.2-127.0.0.9").settings().bindAddresses().size());
    }

    private static BenchCommand parsed(final String... extra) {
        final BenchCommand command = new BenchCommand();
        final List<String> args = new java.util.ArrayList<>(List.of("--target", "127.0.0.1:5000", "--rate", "10"));
        args.addAll(List.of(extra));
        CommandLauncher.commandLine(command).parseArgs(args.toArray(new String[0]));
        return command;
    }

    @Test
    void shouldSayHowToRaiseTheFileDescriptorLimit() {
        final CliRun run = ringside("bench", "--target", "127.0.0.1:5000", "--rate", "100", "--connections", "1000000");
        assertEquals(dev.ringside.bench.verdict.ExitStatus.GENERATOR_FAILED, run.status());
        assertTrue(run.err().contains("ulimit -n"), run.err());
    }
}
