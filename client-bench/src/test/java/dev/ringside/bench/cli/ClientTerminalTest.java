package dev.ringside.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.ringside.bench.compare.ServerChild;
import dev.ringside.engine.protocol.echo.EchoProtocol;
import dev.ringside.engine.testing.LoopHarness;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ringside client} as its own process, its standard input once a real pseudo-terminal (util-linux
 * {@code script} allocates one and forwards what it reads from its own stdin) and once a pipe: the banner
 * must appear on the terminal and nowhere else. Catches a terminal check that asks {@link System#console()}
 * (null here, because {@code script}'s output is a pipe in the test) or that is inverted.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientTerminalTest {
    private static final String BANNER_TAIL = "; type lines, Ctrl-X then Enter or Ctrl-D to quit";

    @TempDir
    Path dir;

    @Test
    void shouldPrintTheBannerWhenStdinIsATerminalAndNotWhenItIsAPipe() throws Exception {
        final Path script = Path.of("/usr/bin/script");
        if (!Files.isExecutable(script)) {
            final String message = "'script' is not installed: apt-get install -y util-linux";
            Assumptions.assumeFalse("true".equalsIgnoreCase(System.getenv("CI")), message + " (CI must run it)");
            Assumptions.abort(message);
        }
        try (LoopHarness harness = new LoopHarness(LoopHarness.smallConfig())) {
            final int port = harness.listenTcp(new EchoProtocol()).getPort();
            harness.startThread();
            final List<String> client = new ArrayList<>(ServerChild.ringsideCommand(ServerChild.currentJava()));
            client.addAll(List.of("client", "127.0.0.1:" + port));

            final StringBuilder quoted = new StringBuilder();
            for (final String word : client) {
                quoted.append('\'').append(word.replace("'", "'\\''")).append("' ");
            }
            // script: -q no start/done lines, -e its exit status is the client's, -c the command; /dev/null: no
            // typescript file. The pty merges the client's stdout and stderr into script's stdout.
            final Result typed = run(List.of(script.toString(), "-qec", quoted.toString(), "/dev/null"));
            assertEquals(0, typed.status(), typed.out());
            assertTrue(typed.out().contains("connected to 127.0.0.1:" + port + " (tcp)" + BANNER_TAIL),
                typed.out());
            assertTrue(typed.out().contains("typed line"), "the echo came back: " + typed.out());

            final Result piped = run(client);
            assertEquals(0, piped.status(), piped.out());
            assertEquals("typed line\n", piped.out(), "piped: stdout and stderr hold only the echo");
            assertFalse(piped.out().contains(BANNER_TAIL));
        }
    }

    /** Exit status and output (stdout and stderr together) of a process. */
    private record Result(int status, String out) {
    }

    /** Runs a command with one line, then end of input, on its stdin. */
    private Result run(final List<String> command) throws Exception {
        final Path input = Files.writeString(dir.resolve("input"), "typed line\n");
        final Path output = dir.resolve("output");
        final Process process = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectInput(input.toFile()).redirectOutput(output.toFile()).start();
        try {
            assertTrue(process.waitFor(45, TimeUnit.SECONDS), String.join(" ", command) + " did not end");
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            process.destroyForcibly();
            new File(output.toString()).delete();
        }
    }
}
