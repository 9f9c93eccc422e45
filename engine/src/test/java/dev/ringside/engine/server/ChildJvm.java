package dev.ringside.engine.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import dev.ringside.engine.testing.LoopHarness;

/** A child JVM running one test main, its output (standard error merged) collected line by line. */
final class ChildJvm {
    private final Process process;
    private final List<String> lines = new ArrayList<>();

    private ChildJvm(final Process process) {
        this.process = process;
        final Thread reader = new Thread(this::drain, "child-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    static ChildJvm start(final Class<?> main, final String... args) throws IOException {
        return start(Map.of(), main, args);
    }

    /**
     * @param environment variables added to this JVM's environment
     * @param main        the class to run
     * @param args        its arguments
     * @return the running child
     * @throws IOException when it cannot start
     */
    static ChildJvm start(final Map<String, String> environment, final Class<?> main, final String... args)
        throws IOException {
        final String java = ProcessHandle.current().info().command().orElse("java");
        final List<String> command = new ArrayList<>(List.of(java,
            "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Xshare:off", "-XX:+UseSerialGC",
            "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        return new ChildJvm(builder.start());
    }

    private void drain() {
        try (BufferedReader reader = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (lines) {
                    lines.add(line);
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
}
