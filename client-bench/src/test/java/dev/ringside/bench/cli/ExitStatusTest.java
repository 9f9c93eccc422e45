package dev.ringside.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import dev.ringside.bench.record.LatencyRecorder;
import dev.ringside.bench.verdict.ExitStatus;
import dev.ringside.engine.protocol.Protocol;
import dev.ringside.engine.protocol.discard.DiscardProtocol;
import dev.ringside.engine.protocol.echo.EchoProtocol;
import dev.ringside.engine.testing.LoopHarness;
import dev.ringside.engine.testing.StreamOnlyProtocol;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every exit status a user or a CI job can meet, from the command line: 0 clean, 1 errors or shortfall, 2
 * usage (including an output path that cannot be written, caught before anything runs), 3 an SLO missed, 4
 * the generator cannot run; the verdict is the summary's last line. Also the JSON document against its
 * documented example, and merge of a log that Ringside did not write. (130/143: {@link SignalTest}.)
 */
class ExitStatusTest {
    @TempDir
    Path dir;

    private static CliRun ringside(final String... args) {
        return CliRun.of(args);
    }

    /** A short run; a server that answers gets a timeout long enough for a loaded build machine. */
    private static String[] bench(final InetSocketAddress address, final String... extra) {
        final boolean shortTimeout = List.of(extra).contains("--pipeline");
        final List<String> args = new ArrayList<>(List.of("bench", "--target", "127.0.0.1:" + address.getPort(),
            "--connections", "2", "--rate", "400", "--duration", "500ms", "--warmup", "0", "--timeout",
            shortTimeout ? "200ms" : "10s", "--no-progress"));
        args.addAll(List.of(extra));
        return args.toArray(new String[0]);
    }

    @Test
    @Timeout(60)
    void shouldExitZeroForACleanRunAndThreeForAMissedObjective() throws Exception {
        try (LoopHarness server = new LoopHarness(LoopHarness.smallConfig())) {
            final InetSocketAddress address = server.listenTcp(new EchoProtocol());
            server.startThread();
            final CliRun clean = ringside(bench(address, "--slo", "p99=10s", "--slo", "errors=0", "--slo", "rate=99%"));
            assertEquals(ExitStatus.CLEAN, clean.status(), clean.out() + clean.err());
            assertTrue(clean.out().contains("verdict: CLEAN (exit 0)\n  slo p99=10s: met (p99 "), clean.out());
            assertTrue(clean.out().contains("slo errors=0: met (0 errors)"), clean.out());
            assertTrue(clean.lastLine().startsWith("  slo rate=99%: met ("), clean.out());
            final CliRun missed = ringside(bench(address, "--slo", "p99=1ns"));
            assertEquals(ExitStatus.SLO_MISSED, missed.status(), missed.out());
            assertTrue(missed.out().contains("verdict: SLO-MISSED (exit 3): "), missed.out());
            assertTrue(missed.out().contains("an --slo missed"), missed.out());
            assertTrue(missed.lastLine().startsWith("  slo p99=1ns: MISSED (p99 "), missed.out());
        }
    }

    @Test
    @Timeout(60)
    void shouldExitOneWhenTheServerNeverAnswersAndSayWhy() throws Exception {
        try (LoopHarness server = new LoopHarness(LoopHarness.smallConfig())) {
            final InetSocketAddress address = server.listenTcp(new DiscardProtocol(null)); // never answers
            server.startThread();
            final Path json = dir.resolve("silent.json");
            final CliRun run = ringside(bench(address, "--pipeline", "1000", "--json", json.toString()));
            assertEquals(ExitStatus.FAILED, run.status(), run.out());
            assertTrue(run.out().contains("200 sent = 0 completed + 200 failed + 0 in flight at the end"), run.out());
            assertTrue(run.out().contains("200 requests got no reply within the response timeout"), run.out());
            assertTrue(run.lastLine().startsWith("verdict: FAILED (exit 1): 200 errors"), run.out());
            final Object root = MiniJson.parse(Files.readString(json));
            assertEquals(1.0, MiniJson.at(root, "verdict.exitCode"));
            assertEquals(200.0, MiniJson.at(root, "errors.responseTimeout"));
            // --allow-errors accepts the errors, not the missing rate.
            final CliRun allowed = ringside(bench(address, "--pipeline", "1000", "--allow-errors"));
            assertEquals(ExitStatus.FAILED, allowed.status());
            assertTrue(allowed.out().contains("(accepted: --allow-errors)"), allowed.out());
        }
    }

    @Test
    @Timeout(60)
    void shouldAcceptErrorsWithAllowErrors() throws Exception {
        try (LoopHarness server = new LoopHarness(LoopHarness.smallConfig())) {
            final InetSocketAddress address = server.listenTcp(corruptingOnce());
            server.startThread();
            final CliRun strict = ringside(bench(address));
            assertEquals(ExitStatus.FAILED, strict.status(), strict.out());
            final CliRun allowed = ringside(bench(address, "--allow-errors"));
            assertEquals(ExitStatus.CLEAN, allowed.status(), allowed.out());
            assertTrue(allowed.lastLine().contains("2 errors (accepted: --allow-errors)"), allowed.out());
        }
    }

    /** Echo that flips one byte of the 10th message of each connection. */
    private static Protocol corruptingOnce() {
        return StreamOnlyProtocol.perConnection("corrupting-once", context -> {
            final long[] seen = new long[1];
            final org.agrona.concurrent.UnsafeBuffer scratch = new org.agrona.concurrent.UnsafeBuffer(new byte[4096]);
            return (in, out) -> {
                final int length = Math.min(Math.min(in.readableBytes(), out.writableBytes()), scratch.capacity());
                if (length == 0) {
                    return 0;
                }
                in.copyTo(in.readPosition(), scratch, 0, length);
                final long target = 64 * 9 + 20;
                if (target >= seen[0] && target < seen[0] + length) {
                    final int index = (int) (target - seen[0]);
                    scratch.putByte(index, (byte) (scratch.getByte(index) ^ 0x20));
                }
                seen[0] += length;
                out.write(scratch, 0, length);
                in.consume(length);
                return 1;
            };
        });
    }

    @Test
    void shouldExitTwoWithOneLineForABadObjective() {
        final CliRun run = ringside("bench", "--target", "127.0.0.1:5000", "--rate", "10", "--slo", "p99=2");
        assertEquals(ExitStatus.USAGE, run.status());
        assertEquals("ringside bench: --slo p99=2: a latency needs a unit: ns, us, ms or s; use pNN=DURATION "
            + "(p50=1ms, p99.9=10ms, max=50ms), errors=N or N%, rate=N% (of the target) or rate=N (msg/s)",
            run.err().strip());
        final CliRun closed = ringside("bench", "--target", "127.0.0.1:5000", "--closed-loop", "--slo", "rate=99%");
        assertEquals(ExitStatus.USAGE, closed.status());
        assertEquals(1, closed.err().strip().lines().count(), closed.err());
    }

    @Test
    void shouldCheckEveryOutputPathBeforeRunning() throws Exception {
        Files.writeString(dir.resolve("file"), "not a directory");
        final String missing = dir.resolve("no-such-dir").resolve("x").toString();
        final List<String[]> cases = List.of(
            new String[] {"bench", "--target", "127.0.0.1:9", "--rate", "10", "--json", missing},
            new String[] {"bench", "--target", "127.0.0.1:9", "--rate", "10", "--report", missing},
            new String[] {"bench", "--target", "127.0.0.1:9", "--rate", "10", "--hlog", missing},
            new String[] {"bench", "--target", "127.0.0.1:9", "--rate", "10", "--json", dir.toString()},
            new String[] {"compare", "--models", "selector", "--json", missing},
            new String[] {"compare", "--models", "selector", "--report", missing},
            new String[] {"merge", "some.hlog", "--json", missing},
            new String[] {"demo", "--out", dir.resolve("file").toString()});
        for (final String[] args : cases) {
            final CliRun run = ringside(args);
            final String command = String.join(" ", args);
            final String flag = args[args.length - 2];
            assertEquals(ExitStatus.USAGE, run.status(), command + " -> " + run.err());
            assertEquals(1, run.err().strip().lines().count(), command + " -> " + run.err());
            assertTrue(run.err().startsWith("ringside " + args[0] + ": " + flag + " "), command + " -> " + run.err());
            // A run that started before checking would last the default 10 s duration; 1 s was too tight for a
            // first picocli parse at a load of 10-30 on 2 cores, 5 s still tells the two apart.
            assertTrue(run.millis() < 5_000, command + " took " + run.millis() + " ms");
        }
    }

    @Test
    void shouldExitFourWhenTheGeneratorCannotHoldTheConnections() {
        final CliRun run = ringside("bench", "--target", "127.0.0.1:5000", "--rate", "100", "--connections", "1000000");
        assertEquals(ExitStatus.GENERATOR_FAILED, run.status());
        assertTrue(run.err().contains("ulimit -n"), run.err());
        assertEquals(1, run.err().strip().lines().count());
    }

    @Test
    void shouldDocumentTheExitStatusesInHelp() {
        for (final String command : List.of("bench", "merge", "demo", "compare")) {
            final CliRun run = ringside(command, "--help");
            assertTrue(run.out().replaceAll("\\s+", " ").contains("130/143"), command + ": " + run.out());
        }
    }

    @Test
    @Timeout(60)
    void shouldSayWhereMergedFiguresComeFromAndNotCallAForeignLogARingsideRun() throws Exception {
        final Path foreign = dir.resolve("foreign.hlog");
        try (PrintStream stream = new PrintStream(Files.newOutputStream(foreign), true, StandardCharsets.US_ASCII)) {
            final HistogramLogWriter writer = new HistogramLogWriter(stream);
            writer.outputLogFormatVersion();
            writer.outputStartTime(1_700_000_000_000L);
            writer.outputLegend();
            for (int interval = 0; interval < 4; interval++) {
                final Histogram histogram = LatencyRecorder.newHistogram();
                for (int i = 1; i <= 250; i++) {
                    histogram.recordValue(i * 1_000L);
                }
                histogram.setStartTimeStamp(1_700_000_000_000L + interval * 1000L);
                histogram.setEndTimeStamp(1_700_000_001_000L + interval * 1000L);
                writer.outputIntervalHistogram(histogram);
            }
        }
        final Path json = dir.resolve("merged.json");
        final CliRun run = ringside("merge", foreign.toString(), "--json", json.toString());
        assertEquals(ExitStatus.CLEAN, run.status(), run.out() + run.err());
        assertTrue(run.out().startsWith("ringside merge: merge of 1 interval log (HdrHistogram logs not written by "
            + "ringside bench)"), run.out());
        assertFalse(run.out().contains("ringside bench:"), "not labelled as a ringside run: " + run.out());
        assertTrue(run.out().contains("1000 completed in 4.0 s"), "every recorded value, once: " + run.out());
        assertTrue(run.out().contains("from          requests: the histograms"), run.out());
        final Object root = MiniJson.parse(Files.readString(json));
        assertEquals(1000.0, MiniJson.at(root, "requests.completed"));
        assertEquals(null, MiniJson.at(root, "requests.sent"), "unknown, not guessed");
        assertEquals(null, MiniJson.at(root, "errors.total"));
        assertTrue(String.valueOf(MiniJson.at(root, "sources.requests")).startsWith("the histograms"));
        assertEquals(List.of("ringside", "merge", foreign.toString(), "--json", json.toString()),
            MiniJson.at(root, "command"));
    }

    @Test
    @Timeout(60)
    void shouldWriteEveryKeyTheDocumentedExampleShows() throws Exception {
        try (LoopHarness server = new LoopHarness(LoopHarness.smallConfig())) {
            final InetSocketAddress address = server.listenTcp(new EchoProtocol());
            server.startThread();
            final Path json = dir.resolve("run.json");
            final CliRun run = ringside(bench(address, "--json", json.toString(), "--slo", "p99=10s"));
            assertEquals(ExitStatus.CLEAN, run.status(), run.out());
            final String written = Files.readString(json);
            final Object root = MiniJson.parse(written);
            assertEquals(1.0, MiniJson.at(root, "schemaVersion"));
            assertTrue(String.valueOf(MiniJson.at(root, "startTime")).matches("\\d{4}-\\d\\d-\\d\\dT.*Z"));
            assertEquals(400.0, MiniJson.at(root, "parameters.rateTarget"));
            assertEquals(0.5, MiniJson.at(root, "parameters.durationS"));
            assertEquals(0.0, MiniJson.at(root, "parameters.warmupS"));
            assertEquals("bench", ((List<?>) MiniJson.at(root, "command")).get(1));
            final Object documented = MiniJson.parse(documentedExample());
            final TreeSet<String> writtenKeys = keys(root, "");
            final TreeSet<String> documentedKeys = keys(documented, "");
            final TreeSet<String> undocumented = new TreeSet<>(writtenKeys);
            undocumented.removeAll(documentedKeys);
            assertTrue(undocumented.isEmpty(), "written but not in docs/bench.md's example: " + undocumented);
            final TreeSet<String> stale = new TreeSet<>(documentedKeys);
            stale.removeAll(writtenKeys);
            assertTrue(stale.isEmpty(), "in docs/bench.md's example but not written: " + stale);
        }
    }

    /** The JSON example of docs/bench.md: the fenced block after the marker {@code <!-- json-schema-1 -->}. */
    private static String documentedExample() throws Exception {
        final String doc = Files.readString(Path.of(System.getProperty("user.dir")).resolve("../docs/bench.md"));
        final int marker = doc.indexOf("<!-- json-schema-1 -->");
        assertTrue(marker >= 0, "docs/bench.md has the schema example");
        final int start = doc.indexOf("```json\n", marker) + "```json\n".length();
        return doc.substring(start, doc.indexOf("```", start));
    }

    /** Every key path; the elements of an array of objects share the path {@code key[]}. */
    private static TreeSet<String> keys(final Object node, final String prefix) {
        final TreeSet<String> keys = new TreeSet<>();
        if (node instanceof Map) {
            for (final Map.Entry<?, ?> entry : ((Map<?, ?>) node).entrySet()) {
                final String path = prefix + entry.getKey();
                // Maps keyed by data (not by schema) are listed as one key.
                keys.add(path);
                if (!path.equals("parameters.logs")) {
                    keys.addAll(keys(entry.getValue(), path + "."));
                }
            }
        } else if (node instanceof List) {
            for (final Object item : (List<?>) node) {
                keys.addAll(keys(item, prefix.substring(0, prefix.length() - 1) + "[]."));
            }
        }
        return keys;
    }
}
