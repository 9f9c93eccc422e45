package dev.ringside.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import dev.ringside.bench.command.CommandLauncher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Protocol options reach the summary and the JSON as the user typed them. Catches: a parsed value printed with
 * {@code String.valueOf} ({@code --accept-status} is a {@code boolean[]} and {@code --body-file} a {@code byte[]},
 * which printed as {@code [Z@1b2c…}), and a repeatable option showing only its last value.
 */
class ProtocolOptionsReportTest {
    @TempDir
    Path dir;

    @Test
    void shouldReportEveryProtocolOptionAsTyped() throws IOException {
        final Path body = Files.writeString(dir.resolve("body.json"), "{\"k\": 1}");
        final picocli.CommandLine.ParseResult parsed = CommandLauncher.commandLine(new RingsideCommand())
            .parseArgs("bench", "--target", "127.0.0.1:5000", "--rate", "100", "--protocol", "http",
                "--accept-status", "200,404", "-H", "A: b", "-H", "C: d", "--body-file", body.toString());
        final BenchCommand bench = (BenchCommand) parsed.subcommand().commandSpec().userObject();

        @SuppressWarnings("unchecked")
        final Map<String, Object> json = (Map<String, Object>) bench.settings().jsonParameters()
            .get("protocolOptions");
        assertEquals("200,404", json.get("acceptStatus"));
        assertEquals("A: b, C: d", json.get("header"));
        assertEquals(body.toString(), json.get("bodyFile"));
        assertEquals("GET", json.get("method"), "a default is shown as its text");

        final Map<String, String> text = bench.settings().parameters();
        assertEquals("200,404", text.get("accept-status"));
        assertEquals(body.toString(), text.get("body-file"));
    }
}
