package dev.ringside.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import dev.ringside.bench.command.CommandLauncher;

import org.junit.jupiter.api.Test;

/**
 * The reconnect flags on the command line: a bad {@code --requests-per-connection} (not a number, below 1, with
 * {@code --udp}, with {@code --no-reconnect}, with chat) is one line on stderr and exit 2, before anything
 * connects; good ones reach the settings.
 */
class ReconnectOptionsTest {
    private static final String[] BASE = {"bench", "--target", "127.0.0.1:5000", "--rate", "100"};

    private static String[] with(final String... more) {
        final String[] args = new String[BASE.length + more.length];
        System.arraycopy(BASE, 0, args, 0, BASE.length);
        System.arraycopy(more, 0, args, BASE.length, more.length);
        return args;
    }

    @Test
    void shouldRejectBadValuesWithOneLineAndExitTwo() {
        // Catches: a value below 1 accepted (0 would mean "no limit" by accident, -1 a connection that never
        // sends), or a combination that cannot work accepted and left to fail during the run.
        final List<String[]> mistakes = List.of(
            with("--requests-per-connection", "0"),
            with("--requests-per-connection", "-3"),
            with("--requests-per-connection", "many"),
            with("--requests-per-connection"),
            with("--requests-per-connection", "1", "--udp"),
            with("--requests-per-connection", "5", "--no-reconnect"),
            with("--requests-per-connection", "1", "--protocol", "chat", "--connections", "3"),
            with("--no-reconnect=maybe"));
        for (final String[] args : mistakes) {
            final CliRun run = CliRun.of(args);
            final String command = String.join(" ", args);
            assertEquals(2, run.status(), command + " -> " + run.err());
            final String err = run.err().strip();
            assertEquals(1, err.lines().count(), command + " -> " + err);
            assertTrue(err.startsWith("ringside bench: "), command + " -> " + err);
            assertFalse(err.contains("Exception") || err.contains("\tat "), command + " -> " + err);
        }
        assertEquals("ringside bench: --requests-per-connection must be at least 1, got 0",
            CliRun.of(with("--requests-per-connection", "0")).err().strip());
    }

    @Test
    void shouldCarryTheFlagsIntoTheSettings() {
        final picocli.CommandLine parser = CommandLauncher.commandLine(new RingsideCommand());
        final picocli.CommandLine.ParseResult parsed = parser.parseArgs(with("--requests-per-connection", "7"));
        final BenchCommand bench = (BenchCommand) parsed.subcommand().commandSpec().userObject();
        assertEquals(7, bench.settings().requestsPerConnection());
        assertTrue(bench.settings().reconnect());
        assertEquals(7, bench.settings().jsonParameters().get("requestsPerConnection"));
        final picocli.CommandLine.ParseResult off = CommandLauncher
            .commandLine(new RingsideCommand()).parseArgs(with("--no-reconnect"));
        final BenchCommand noReconnect = (BenchCommand) off.subcommand().commandSpec().userObject();
        assertFalse(noReconnect.settings().reconnect());
        assertEquals(false, noReconnect.settings().jsonParameters().get("reconnect"));
        assertTrue(noReconnect.settings().describe().contains("no reconnect"), noReconnect.settings().describe());
    }
}
