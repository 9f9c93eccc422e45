package dev.ringside.bench.fleet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.ringside.bench.process.DefaultSignals;
import dev.ringside.bench.process.StartAt;
import dev.ringside.bench.verdict.ExitStatus;

/**
 * One child generator: a {@code ringside bench} JVM running its share of the run. Its stdout (the summary)
 * and stderr go to files, never pipes (a pipe nobody drains stalls the child); its interval log is what the
 * parent reads. It is stopped by its PID only, and a shutdown hook kills it if the parent exits first.
 *
 * <p>Its end is judged by its exit status: 0, 1 (errors or a shortfall) and 3 are a run that measured and
 * reported, which the parent judges again from the merged figures; 130/143 after the parent passed on a
 * signal are the same; anything else (4: it failed; 2: it refused its arguments; 128+N: a signal nobody sent
 * it through the parent, such as the OOM killer's) fails the whole run.
 */
final class GeneratorChild implements AutoCloseable {
    private final int index;
    private final int of;
    private final Process process;
    private final Path out;
    private final Path err;
    private final Path hlog;
    private final Thread killer;
    private final long startedNs = System.nanoTime();

    private GeneratorChild(final int index, final int of, final Process process, final Path out, final Path err,
        final Path hlog) {
        this.index = index;
        this.of = of;
        this.process = process;
        this.out = out;
        this.err = err;
        this.hlog = hlog;
        this.killer = new Thread(process::destroyForcibly, "ringside-generator-cleanup-" + process.pid());
        Runtime.getRuntime().addShutdownHook(killer);
    }

    /**
     * Starts a child.
     *
     * @param index   0-based
     * @param of      how many children the run has
     * @param command the whole command line
     * @param dir     where its output files go
     * @param hlog    the interval log its command line names
     * @return the started child
     * @throws IOException when it cannot be started
     */
    static GeneratorChild start(final int index, final int of, final List<String> command, final Path dir,
        final Path hlog) throws IOException {
        final Path out = dir.resolve("generator-" + (index + 1) + ".out");
        final Path err = dir.resolve("generator-" + (index + 1) + ".err");
        // SIGINT at its default, so the Ctrl-C the parent passes on reaches the child whoever started the parent.
        final Process process = new ProcessBuilder(DefaultSignals.prefixed(command)).redirectOutput(out.toFile())
            .redirectError(err.toFile()).start();
        return new GeneratorChild(index, of, process, out, err, hlog);
    }

    /** @return e.g. {@code generator 2 of 3 (pid 1234)} */
    String name() {
        return "generator " + (index + 1) + " of " + of + " (pid " + process.pid() + ")";
    }

    /** @return 0-based */
    int index() {
        return index;
    }

    /** @return its pid */
    long pid() {
        return process.pid();
    }

    /** @return its interval log */
    Path hlog() {
        return hlog;
    }

    /** @return its stdout file (its summary) */
    Path out() {
        return out;
    }

    /** @return whether it has said it is ready for its start instant ({@code --start-at stdin}) */
    boolean ready() {
        return afterMark(StartAt.READY_MARK) != null;
    }

    /**
     * Gives it its start instant on its standard input (the one line {@code --start-at stdin} reads), then closes
     * that input. A child that has already exited cannot take it: its end is judged as any other.
     *
     * @param startMs the shared instant, ms since the epoch
     */
    void tell(final long startMs) {
        try (java.io.OutputStream in = process.getOutputStream()) {
            in.write((StartAt.format(startMs) + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (final IOException ex) {
            // Exited already (a broken pipe): the watch names it and says why.
        }
    }

    /** @return whether it still runs */
    boolean alive() {
        return process.isAlive();
    }

    /**
     * @param timeoutMs how long to wait at most
     * @return whether it has exited
     * @throws InterruptedException when interrupted
     */
    boolean waitFor(final long timeoutMs) throws InterruptedException {
        return process.waitFor(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /** Passes a stop on: {@code SIGTERM} to its pid; it stops sending, drains and writes what it measured. */
    void interrupt() {
        process.destroy();
    }

    /** Ends it at once ({@code SIGKILL}). */
    void kill() {
        process.destroyForcibly();
    }

    /**
     * @param interrupted whether the parent passed a signal on to it
     * @return why its end fails the run, or {@code null} when it measured and reported
     */
    String failure(final boolean interrupted) {
        final int status = process.exitValue();
        if (status == ExitStatus.CLEAN || status == ExitStatus.FAILED || status == ExitStatus.SLO_MISSED
            || interrupted && (status == ExitStatus.SIGINT || status == ExitStatus.SIGTERM)) {
            return null;
        }
        final String after = String.format(java.util.Locale.ROOT, " after %.1f s",
            (System.nanoTime() - startedNs) / 1e9);
        if (status > 128 && status < 128 + 65) {
            return name() + " was killed by signal " + (status - 128) + " (exit " + status + ")" + after
                + "; its last output: " + lastLine();
        }
        return name() + " exited with status " + status + after + ": " + lastLine();
    }

    /**
     * @return how late it started after the shared instant (from the line {@link
     *         dev.ringside.bench.process.StartAt#await} printed), or {@code null} when it was on time
     */
    String lateStart() {
        final String late = afterMark(StartAt.LATE_MARK);
        return late == null ? null : "started " + late.trim() + " s after the shared instant";
    }

    /** @return what follows the mark on the first stderr line that has it, or {@code null} when none has yet */
    private String afterMark(final String mark) {
        try {
            for (final String line : Files.readAllLines(err, StandardCharsets.UTF_8)) {
                final int at = line.indexOf(mark);
                if (at >= 0) {
                    return line.substring(at + mark.length());
                }
            }
        } catch (final IOException ex) {
            return null; // not written yet
        }
        return null;
    }

    /** @return the last non-blank line of its summary, else of its stderr, else where to look */
    String lastLine() {
        for (final Path file : List.of(out, err)) {
            final String last = lastLine(file);
            if (last != null) {
                return last;
            }
        }
        return "no output (see " + out + ")";
    }

    private static String lastLine(final Path file) {
        try {
            final List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (!lines.get(i).isBlank()) {
                    return lines.get(i).trim();
                }
            }
        } catch (final IOException ex) {
            return null;
        }
        return null;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (final IllegalStateException ex) {
            // Already shutting down: the hook runs, which is harmless.
        }
    }
}
