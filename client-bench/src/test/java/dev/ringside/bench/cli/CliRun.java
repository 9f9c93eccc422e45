package dev.ringside.bench.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.ringside.bench.command.CommandLauncher;
import picocli.CommandLine;

/**
 * Runs the {@code ringside} command line in this JVM, as the launcher would, with a given standard input, and
 * captures what it printed.
 *
 * @param status the exit status
 * @param out    stdout
 * @param err    stderr
 * @param millis how long it took
 */
record CliRun(int status, String out, String err, long millis) {

    static CliRun of(final String... args) {
        return withInput("", args);
    }

    /**
     * @param input what the command reads from standard input (then end of input)
     * @param args  the command line
     * @return how it ended
     */
    static CliRun withInput(final String input, final String... args) {
        final PrintStream savedOut = System.out;
        final PrintStream savedErr = System.err;
        final InputStream savedIn = System.in;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        final StringWriter err = new StringWriter();
        final long startNs = System.nanoTime();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
            final CommandLine commandLine = CommandLauncher.commandLine(new RingsideCommand());
            commandLine.setErr(new PrintWriter(err, true));
            final int status = commandLine.execute(args);
            return new CliRun(status, out.toString(StandardCharsets.UTF_8), err + errBytes.toString(
                StandardCharsets.UTF_8), (System.nanoTime() - startNs) / 1_000_000);
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
            System.setIn(savedIn);
        }
    }

    /** @return the last line of stdout (the verdict, for bench), or "" */
    String lastLine() {
        final List<String> lines = out.strip().lines().toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }
}
