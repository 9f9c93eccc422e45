package dev.ringside.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import dev.ringside.bench.compare.ServerChild;
import dev.ringside.bench.process.DefaultSignals;

/**
 * A {@code ringside} command run as a child JVM, its stdout and stderr in files, for tests that signal it as a
 * user's Ctrl-C would (a signal to this one pid). Waits poll the files with a time cap; none sleeps.
 */
final class ChildRingside implements AutoCloseable {
    private static final long WAIT_NS = TimeUnit.SECONDS.toNanos(90);
    private final Process process;
    private final Path out;
    private final Path err;

    private ChildRingside(final Process process, final Path out, final Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /**
     * @param dir  where its output files go
     * @param args the command and its options
     * @return the running child
     * @throws IOException when it cannot start
     */
    static ChildRingside start(final Path dir, final String... args) throws IOException {
        final List<String> command = new ArrayList<>(ServerChild.ringsideCommand(ServerChild.currentJava()));
        command.addAll(List.of(args));
        final Path out = dir.resolve("child-out.txt");
        final Path err = dir.resolve("child-err.txt");
        return new ChildRingside(new ProcessBuilder(DefaultSignals.prefixed(command)).redirectOutput(out.toFile())
            .redirectError(err.toFile()).start(), out, err);
    }

    /** @return what it printed on stdout so far */
    String out() throws IOException {
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    /** @return what it printed on stderr so far */
    String err() throws IOException {
        return Files.readString(err, StandardCharsets.UTF_8);
    }

    /**
     * Waits (at most 90 s) until its stderr satisfies the condition.
     *
     * @param condition on the whole stderr so far
     * @param what      what is awaited, for the failure message
     */
    void awaitErr(final Predicate<String> condition, final String what) throws Exception {
        final long deadline = System.nanoTime() + WAIT_NS;
        while (System.nanoTime() - deadline < 0 && process.isAlive()) {
            if (condition.test(err())) {
                return;
            }
            process.waitFor(50, TimeUnit.MILLISECONDS);
        }
        throw new AssertionError("never saw " + what + " (alive " + process.isAlive() + "):\n" + out() + err());
    }

    /**
     * Sends a signal to the child's pid alone, as {@code kill -NAME pid}.
     *
     * @param name e.g. {@code INT}
     */
    void signal(final String name) throws Exception {
        final Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, kill.exitValue(), "kill -" + name);
    }

    /**
     * @param seconds how long it may take
     * @return its exit status
     */
    int awaitExit(final long seconds) throws Exception {
        assertTrue(process.waitFor(seconds, TimeUnit.SECONDS), "the child ended within " + seconds + " s:\n" + out()
            + err());
        return process.exitValue();
    }

    /** Kills the child and anything it started (a server child of compare or demo) by their pids. */
    @Override
    public void close() {
        // Descendants first: a child killed outright never runs the shutdown hook that stops its own children.
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
