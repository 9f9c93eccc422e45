package dev.ringside.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.ringside.bench.compare.ServerChild;
import dev.ringside.bench.process.DefaultSignals;
import dev.ringside.bench.record.MergedLogs;
import dev.ringside.engine.protocol.Protocol;
import dev.ringside.engine.protocol.echo.EchoProtocol;
import dev.ringside.engine.testing.LoopHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code ringside bench} child process interrupted by a signal keeps what it measured: summary marked
 * INTERRUPTED, JSON, interval log and report written, exit 128 + signal. Before, the JVM's default handler
 * exited 130 with nothing written (this test fails with that behaviour).
 */
class SignalTest {
    @TempDir
    Path dir;

    private Process bench(final InetSocketAddress target, final String timeout) throws IOException {
        final List<String> command = new ArrayList<>(ServerChild.ringsideCommand(ServerChild.currentJava()));
        command.addAll(List.of("bench", "--target", "127.0.0.1:" + target.getPort(), "--connections", "4", "--rate",
            "400", "--duration", "60s", "--warmup", "0", "--timeout", timeout, "--json", dir.resolve("run.json")
                .toString(), "--hlog", dir.resolve("run.hlog").toString(), "--report", dir.resolve("run.html")
                .toString()));
        return new ProcessBuilder(DefaultSignals.prefixed(command)).redirectOutput(dir.resolve("out.txt").toFile())
            .redirectError(dir.resolve("err.txt").toFile()).start();
    }

    /** Waits (bounded) until the child has measured for a while: its progress shows the measuring phase. */
    private void awaitMeasuring(final Process child) throws Exception {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() - deadline < 0 && child.isAlive()) {
            final String err = Files.readString(dir.resolve("err.txt"));
            if (err.indexOf("measuring") != err.lastIndexOf("measuring")) {
                return; // two measuring intervals: some replies are in the window
            }
            child.waitFor(50, TimeUnit.MILLISECONDS);
        }
        throw new AssertionError("the child never started measuring: " + Files.readString(dir.resolve("err.txt")));
    }

    private void awaitErr(final Process child, final String text) throws Exception {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() - deadline < 0 && child.isAlive()
            && !Files.readString(dir.resolve("err.txt")).contains(text)) {
            child.waitFor(50, TimeUnit.MILLISECONDS);
        }
    }

    private static void signal(final Process child, final String name) throws Exception {
        final Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(child.pid())).start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, kill.exitValue());
    }

    private int run(final Protocol server, final String timeout, final String... signals) throws Exception {
        try (LoopHarness harness = new LoopHarness(LoopHarness.smallConfig())) {
            final InetSocketAddress address = harness.listenTcp(server);
            harness.startThread();
            final Process child = bench(address, timeout);
            try {
                awaitMeasuring(child);
                for (int i = 0; i < signals.length; i++) {
                    if (i > 0) {
                        // Two signals sent back to back can merge into one pending signal before the JVM takes
                        // the first: send the next once the first was heard, as a user does.
                        awaitErr(child, "stopping");
                    }
                    signal(child, signals[i]);
                }
                assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child ended after the signal");
                return child.exitValue();
            } finally {
                child.destroyForcibly();
            }
        }
    }

    @Test
    @Timeout(120)
    void shouldWriteEveryOutputAndExit130OnSigint() throws Exception {
        final int status = run(new EchoProtocol(), "5s", "INT");
        final String out = Files.readString(dir.resolve("out.txt"));
        assertEquals(130, status, out + Files.readString(dir.resolve("err.txt")));
        assertTrue(out.contains("INTERRUPTED by SIGINT: the figures cover the "), out);
        assertTrue(out.contains("verdict: INTERRUPTED (exit 130): interrupted by SIGINT"), out);
        final Object root = MiniJson.parse(Files.readString(dir.resolve("run.json"), StandardCharsets.UTF_8));
        assertEquals("SIGINT", MiniJson.at(root, "interrupted"));
        assertEquals(130.0, MiniJson.at(root, "verdict.exitCode"));
        final double sent = (Double) MiniJson.at(root, "requests.sent");
        assertTrue(sent > 0, "it measured something");
        assertEquals(sent, (Double) MiniJson.at(root, "requests.completed"), "the drain waited for every reply");
        assertTrue((Double) MiniJson.at(root, "durationS") < 60);
        final MergedLogs log = MergedLogs.read(List.of(dir.resolve("run.hlog")));
        assertEquals(sent, log.corrected().getTotalCount(), "the interval log holds every measured sample");
        assertEquals(sent, log.total("requests.sent"), "and the closing totals");
        assertTrue(Files.readString(dir.resolve("run.html")).contains("INTERRUPTED"));
    }

    @Test
    @Timeout(120)
    void shouldSkipTheDrainOnASecondSigtermAndExit143() throws Exception {
        // A server that answers nothing and a one-minute timeout: only the second signal can end the drain soon.
        final int status = run(silent(), "60s", "TERM", "TERM");
        final String out = Files.readString(dir.resolve("out.txt"));
        assertEquals(143, status, out + Files.readString(dir.resolve("err.txt")));
        final Object root = MiniJson.parse(Files.readString(dir.resolve("run.json"), StandardCharsets.UTF_8));
        assertEquals("SIGTERM", MiniJson.at(root, "interrupted"));
        final double sent = (Double) MiniJson.at(root, "requests.sent");
        assertTrue(sent > 0);
        assertEquals(sent, (Double) MiniJson.at(root, "requests.inFlightAtEnd"), "nothing answered, nothing timed out");
    }

    /**
     * A generator thread that dies (here: out of direct memory for its first 4 MiB ring) ends the run with
     * exit 4 and says why; before, the run printed "errors 0" and exited 0.
     */
    @Test
    @Timeout(120)
    void shouldExitFourWhenAGeneratorThreadDies() throws Exception {
        try (LoopHarness harness = new LoopHarness(LoopHarness.smallConfig())) {
            final InetSocketAddress address = harness.listenTcp(new EchoProtocol());
            harness.startThread();
            final List<String> command = new ArrayList<>(ServerChild.ringsideCommand(ServerChild.currentJava()));
            command.add(1, "-XX:MaxDirectMemorySize=3m");
            command.addAll(List.of("bench", "--target", "127.0.0.1:" + address.getPort(), "--connections", "1",
                "--rate", "10", "--size", "1m", "--pipeline", "4", "--duration", "30s", "--warmup", "0",
                "--no-progress", "--json", dir.resolve("run.json").toString()));
            final Process child = new ProcessBuilder(DefaultSignals.prefixed(command))
                .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile()).start();
            try {
                assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the run ended when its thread died");
                final String out = Files.readString(dir.resolve("out.txt"));
                final String err = Files.readString(dir.resolve("err.txt"));
                assertEquals(4, child.exitValue(), out + err);
                assertTrue(err.contains("OutOfMemoryError"), err);
                assertTrue(out.contains("verdict: GENERATOR-FAILED (exit 4): the generator failed: "), out);
                final Object root = MiniJson.parse(Files.readString(dir.resolve("run.json")));
                assertTrue(String.valueOf(MiniJson.at(root, "generator.failure")).contains("OutOfMemoryError"));
            } finally {
                child.destroyForcibly();
            }
        }
    }

    private static Protocol silent() {
        return new Protocol() {
            @Override
            public String name() {
                return "silent";
            }

            @Override
            public dev.ringside.engine.protocol.Session newSession(
                final dev.ringside.engine.protocol.SessionContext context) {
                return (in, out) -> {
                    in.consume(in.readableBytes());
                    return 1;
                };
            }

            @Override
            public dev.ringside.engine.protocol.DatagramHandler newDatagramHandler(final String localAddress) {
                throw new UnsupportedOperationException();
            }

            @Override
            public boolean supportsDatagrams() {
                return false;
            }
        };
    }
}
