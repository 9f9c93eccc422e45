package dev.ringside.bench.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import dev.ringside.engine.testing.ChildJvm;
import dev.ringside.engine.testing.LoopHarness;

/**
 * A child JVM running one test main (launched as {@link ChildJvm} launches every test child), its output (standard
 * error merged) collected line by line so a test can wait for a line.
 */
final class WatchedChild {
    private final Process process;
    private final List<String> lines = new ArrayList<>();

    private WatchedChild(final Process process) {
        this.process = process;
        final Thread reader = new Thread(this::drain, "child-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    static WatchedChild start(final Class<?> main, final String... args) throws IOException {
        return start(Map.of(), main, args);
    }

    /**
     * @param environment variables added to this JVM's environment
     * @param main        the class to run
     * @param args        its arguments
     * @return the running child
     * @throws IOException when it cannot start
     */
    static WatchedChild start(final Map<String, String> environment, final Class<?> main, final String... args)
        throws IOException {
        final List<String> command = ChildJvm.command(main, args);
        final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        return new WatchedChild(builder.start());
    }

    private void drain() {
        try (BufferedReader reader = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
            }
        } catch (final IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    Process process() {
        return process;
    }

    List<String> lines() {
        synchronized (lines) {
            return new ArrayList<>(lines);
        }
    }

    String text() {
        return String.join("\n", lines());
    }

    String first(final Predicate<String> match) {
        return lines().stream().filter(match).findFirst().orElseThrow();
    }

    void await(final Predicate<String> match) {
        try {
            LoopHarness.await(() -> lines().stream().anyMatch(match));
        } catch (final AssertionError ex) {
            throw new AssertionError(ex.getMessage() + "; output so far:\n" + text(), ex);
        }
    }

    /**
     * Waits for a line, woken by each line the child prints (no polling), for up to {@code capSeconds}: for
     * steps such as starting several JVMs that take long on a busy machine.
     *
     * @param match      the line wanted
     * @param capSeconds give up after this long
     * @throws InterruptedException if interrupted
     */
    void await(final Predicate<String> match, final long capSeconds) throws InterruptedException {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(capSeconds);
        synchronized (lines) {
            while (lines.stream().noneMatch(match)) {
                final long leftMs = TimeUnit.NANOSECONDS.toMillis(deadlineNs - System.nanoTime());
                if (leftMs <= 0) {
                    break;
                }
                lines.wait(Math.min(leftMs, 1_000));
            }
        }
        if (lines().stream().noneMatch(match)) {
            throw new AssertionError("line not printed within " + capSeconds + " s; output so far:\n" + text());
        }
    }
}
