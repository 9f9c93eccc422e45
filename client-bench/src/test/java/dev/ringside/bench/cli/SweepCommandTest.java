package dev.ringside.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.ringside.engine.protocol.echo.EchoProtocol;
import dev.ringside.engine.testing.LoopHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code ringside sweep} end to end through the command line, and its usage mistakes. */
class SweepCommandTest {
    @TempDir
    Path dir;

    // Catches: sweep options not reaching the steps (the table would not show both rates), outputs not
    // written, or an --slo search that forgets to report its answer.
    @Test
    @Timeout(90)
    void shouldSweepTwoRatesAndWriteTheTableJsonAndReport() throws Exception {
        try (LoopHarness server = new LoopHarness(LoopHarness.smallConfig())) {
            final InetSocketAddress address = server.listenTcp(new EchoProtocol());
            server.startThread();
            final Path json = dir.resolve("sweep.json");
            final Path report = dir.resolve("sweep.html");
            final CliRun run = CliRun.of("sweep", "--target", "127.0.0.1:" + address.getPort(), "--connections", "4",
                "--rates", "200,400", "--duration", "500ms", "--warmup", "200ms", "--no-progress",
                "--slo", "p99=2s", "--json", json.toString(), "--report", report.toString());
            // Plumbing, not speed: on a loaded machine a step may fall short, so the answer is not asserted.
            assertTrue(run.status() == 0 || run.status() == 3, "exit " + run.status() + "\n" + run.out() + run.err());
            // Both rates ran, unless a stall overloaded the first step, after which a sweep rightly stops.
            assertTrue(run.out().contains("200") && (run.out().contains("400")
                || run.out().contains("stopped after 200 msg/s")), run.out());
            assertTrue(run.out().contains("objective"), run.out());
            final String text = Files.readString(json, StandardCharsets.UTF_8);
            final Object root = MiniJson.parse(text);
            final List<?> steps = (List<?>) MiniJson.at(root, "steps");
            assertTrue(steps.size() >= 1, text);
            assertTrue(MiniJson.at(root, "search.highestRate") instanceof Number, text);
            assertTrue(((Number) MiniJson.at(steps.get(0), "bench.latencyUs.p99")).doubleValue() > 0, text);
            final String html = Files.readString(report, StandardCharsets.UTF_8);
            assertTrue(html.contains("Latency vs throughput"), html);
        }
    }

    @Test
    void shouldSayInOneLineWhatIsWrongWithTheCommand() {
        for (final List<String> args : List.of(
            List.of("sweep", "--target", "127.0.0.1:5000"),
            List.of("sweep", "--target", "127.0.0.1:5000", "--rates", "5k,1k"),
            List.of("sweep", "--target", "127.0.0.1:5000", "--rates", "1k,5k", "--steps", "3"),
            List.of("sweep", "--target", "127.0.0.1:5000", "--rates", "1k..5k", "--slo", "p99=2"),
            List.of("sweep", "--target", "127.0.0.1:5000", "--rates", "1k..5k", "--resolution", "200%"),
            List.of("sweep", "--rates", "1k..5k"))) {
            final CliRun run = CliRun.of(args.toArray(new String[0]));
            final String err = run.err().strip();
            assertEquals(2, run.status(), args + " -> " + err);
            assertEquals(1, err.lines().count(), args + " -> " + err);
            assertFalse(err.contains("Exception") || err.contains("\tat "), args + " -> " + err);
        }
    }
}
