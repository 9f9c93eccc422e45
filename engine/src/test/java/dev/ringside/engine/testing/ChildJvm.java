package dev.ringside.engine.testing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Launches a test {@code main} in a child JVM on this JVM's class path, with the flags the engine needs (Agrona's
 * {@code Add-Opens}) and a small footprint (no class-data sharing, serial GC), so tests that need a process of their
 * own (signals, an open-files limit, a counters file another process reads) start it one way.
 */
public final class ChildJvm {
    private ChildJvm() {
    }

    /**
     * @param main a class with a {@code main} method on the test class path
     * @param args its arguments
     * @return the command line that runs it
     */
    public static List<String> command(final Class<?> main, final String... args) {
        final List<String> command = new ArrayList<>(List.of(
            ProcessHandle.current().info().command().orElse("java"),
            "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Xshare:off", "-XX:+UseSerialGC",
            "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        return command;
    }

    /**
     * Starts {@code main} under {@code ulimit -n openFiles} (through bash, which lowers the limit and then
     * {@code exec}s the JVM, so the child's pid is the JVM's). Output and errors come on one stream.
     *
     * @param openFiles the open-files limit of the child
     * @param main      a class with a {@code main} method on the test class path
     * @param args      its arguments (no single quotes)
     * @return the child
     * @throws IOException when it cannot be started
     */
    public static Process startWithOpenFilesLimit(final int openFiles, final Class<?> main, final String... args)
        throws IOException {
        final StringBuilder shell = new StringBuilder("ulimit -n ").append(openFiles).append(" && exec");
        for (final String word : command(main, args)) {
            shell.append(" '").append(word).append('\'');
        }
        return new ProcessBuilder("bash", "-c", shell.toString()).redirectErrorStream(true).start();
    }
}
