package dev.ringside.bench.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.ringside.bench.command.CommandLauncher;
import picocli.CommandLine;

/**
 * Runs the {@code ringside} command line in this JVM, as the launcher would, and captures what it printed.
 *
 * @param status the exit status
 * @param out    stdout
 * @param err    stderr
 * @param millis how long it took
 */
record CliRun(int status, String out, String err, long millis) {

    static CliRun of(final String... args) {
        final PrintStream savedOut = System.out;
        final PrintStream savedErr = System.err;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        final StringWriter err = new StringWriter();
        final long startNs = System.nanoTime();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            final CommandLine commandLine = CommandLauncher.commandLine(new RingsideCommand());
            commandLine.setErr(new PrintWriter(err, true));
            final int status = commandLine.execute(args);
            return new CliRun(status, out.toString(StandardCharsets.UTF_8), err + errBytes.toString(
                StandardCharsets.UTF_8), (System.nanoTime() - startNs) / 1_000_000);
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
    }

    /** @return the last line of stdout (the verdict, for bench), or "" */
    String lastLine() {
        final List<String> lines = out.strip().lines().toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }
}
