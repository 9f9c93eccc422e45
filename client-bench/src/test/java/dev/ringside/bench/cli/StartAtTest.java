package dev.ringside.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.ringside.bench.process.StartAt;
import dev.ringside.engine.protocol.echo.EchoProtocol;
import dev.ringside.engine.testing.LoopHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --start-at}: the forms it reads, what it refuses, and that a run really waits for the instant (catches
 * an {@code await} that returns at once, and a parse that reads epoch seconds as milliseconds: each tried once).
 */
class StartAtTest {
    private static final long NOW_MS = 1_796_306_400_000L; // 2026-12-03T14:00:00Z

    @TempDir
    Path dir;

    @Test
    void shouldReadIsoAndEpochSecondsAndFormatBackExactly() {
        assertEquals(NOW_MS + 30_000, StartAt.parse("2026-12-03T14:00:30Z", NOW_MS));
        assertEquals(NOW_MS + 30_000, StartAt.parse("2026-12-03T15:00:30+01:00", NOW_MS));
        assertEquals(NOW_MS + 30_250, StartAt.parse("1796306430.250", NOW_MS));
        assertEquals(NOW_MS + 30_000, StartAt.parse("1796306430", NOW_MS));
        assertEquals(NOW_MS + 1_234, StartAt.parse(StartAt.format(NOW_MS + 1_234), NOW_MS), "format reads back");
        assertEquals(NOW_MS - 5_000, StartAt.parse("2026-12-03T13:59:55Z", NOW_MS), "a few seconds late: starts");
    }

    /** Catches a resolve that does not say it is ready first, or reads past its one line (each tried once). */
    @Test
    void shouldSayReadyThenReadTheInstantFromItsInput() throws Exception {
        assertEquals(StartAt.TOLD_LATER, StartAt.parse(" stdin ", NOW_MS));
        final long soon = System.currentTimeMillis() + 5_000;
        final ByteArrayInputStream in = new ByteArrayInputStream(
            (StartAt.format(soon) + "\nmore\n").getBytes(StandardCharsets.US_ASCII));
        final ByteArrayOutputStream said = new ByteArrayOutputStream();
        assertEquals(soon, StartAt.resolve(StartAt.TOLD_LATER, in, new PrintStream(said, true,
            StandardCharsets.UTF_8)));
        assertEquals(StartAt.READY_MARK + System.lineSeparator(), said.toString(StandardCharsets.UTF_8));
        assertEquals('m', in.read(), "only its line was read");
        assertEquals(soon, StartAt.resolve(soon, in, new PrintStream(said, true, StandardCharsets.UTF_8)),
            "an instant given: as is");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> StartAt.resolve(StartAt.TOLD_LATER,
            new ByteArrayInputStream(new byte[0]), new PrintStream(said, true, StandardCharsets.UTF_8))).getMessage()
            .contains("standard input ended"), "the parent gone before it said when");
    }

    @Test
    void shouldRefuseWhatLooksLikeAMistake() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> StartAt.parse("tomorrow", NOW_MS)).getMessage()
            .startsWith("bad --start-at 'tomorrow'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> StartAt.parse("2026-12-03T14:00:30", NOW_MS))
            .getMessage().startsWith("bad --start-at"), "no zone: ambiguous between hosts");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> StartAt.parse("2025-12-03T14:00:00Z", NOW_MS))
            .getMessage().contains("ago"), "a year in the past");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> StartAt.parse("2027-12-03T14:00:00Z", NOW_MS))
            .getMessage().contains("more than a day ahead"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> StartAt.parse("1796306400000", NOW_MS))
            .getMessage().contains("more than a day ahead"), "milliseconds given for seconds");
    }

    @Test
    void shouldExitTwoWithOneLineForABadValue() {
        final CliRun run = CliRun.of("bench", "--target", "127.0.0.1:9", "--rate", "10", "--start-at", "noon");
        assertEquals(2, run.status());
        assertTrue(run.err().contains("bad --start-at 'noon'"), run.err());
        assertFalse(run.err().contains("Exception"), run.err());
    }

    @Test
    @Timeout(60)
    void shouldWaitForAFutureInstantAndStartAtOnceForARecentPastOne() throws Exception {
        try (LoopHarness harness = new LoopHarness(LoopHarness.smallConfig())) {
            final InetSocketAddress address = harness.listenTcp(new EchoProtocol());
            harness.startThread();
            // Far enough ahead that a JVM busy with other builds is still warming up its reporting path before it.
            final long future = System.currentTimeMillis() + 6_000;
            final Path json = dir.resolve("future.json");
            final CliRun waited = CliRun.of("bench", "--target", "127.0.0.1:" + address.getPort(), "--connections",
                "1", "--rate", "50", "--duration", "500ms", "--warmup", "0", "--no-progress", "--start-at",
                Instant.ofEpochMilli(future).toString(), "--json", json.toString());
            assertEquals(0, waited.status(), waited.out() + waited.err());
            assertTrue(waited.err().contains("waiting until " + Instant.ofEpochMilli(future)), waited.err());
            final Instant started = Instant.parse((String) MiniJson.at(MiniJson.parse(Files.readString(json)),
                "startTime"));
            assertFalse(started.isBefore(Instant.ofEpochMilli(future)), started + " is not before " + future);

            final CliRun late = CliRun.of("bench", "--target", "127.0.0.1:" + address.getPort(), "--connections", "1",
                "--rate", "50", "--duration", "500ms", "--warmup", "0", "--no-progress", "--start-at",
                StartAt.format(System.currentTimeMillis() - 5_000));
            assertEquals(0, late.status(), late.out() + late.err());
            // 5 s and whatever the JVM's warm-up took before the wait (2 s at load 25).
            final Matcher by = Pattern.compile("has passed: starting late by (\\d+)\\.")
                .matcher(late.err());
            assertTrue(by.find() && Integer.parseInt(by.group(1)) >= 5, late.err());
        }
    }
}
