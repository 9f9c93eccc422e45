package dev.ringside.bench.compare;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.ringside.engine.config.Units;


/**
 * A {@code ringside server} started as a child JVM: the same JVM flags and class path as this process (or
 * another {@code java}, for a model that needs a newer JDK), optionally under {@code taskset}. Its output
 * goes to a log file, not a pipe: a pipe read concurrently with the child's exit can lose the tail (the
 * final counters) to "Stream closed". It is stopped by its PID only — {@code SIGTERM}, then {@code SIGKILL}
 * if it has not exited in time — and a shutdown hook kills it if this JVM exits first.
 *
 * <p>States: started, then listening (its first {@code listening tcp} line), then stopped; a child that
 * exits or stays silent before listening fails the start with its last line of output.
 */
public final class ServerChild implements AutoCloseable {
    /** How long a child may take to print its address: a JVM start takes a second or so. */
    public static final long START_TIMEOUT_MS = 30_000;
    /** How long a child may take to exit after {@code SIGTERM} (it flushes within its {@code --grace}). */
    public static final long STOP_TIMEOUT_MS = 10_000;
    private static final String MAIN_CLASS = "dev.ringside.bench.cli.RingsideCommand";
    private static final long POLL_MS = 20;

    private final Process process;
    private final Path log;
    private final Thread killer;
    private InetSocketAddress address;
    private boolean stopped;

    private ServerChild(final Process process, final Path log) {
        this.process = process;
        this.log = log;
        this.killer = new Thread(process::destroyForcibly, "ringside-child-cleanup-" + process.pid());
        Runtime.getRuntime().addShutdownHook(killer);
    }

    /** @return the {@code java} running this process */
    public static String currentJava() {
        return ProcessHandle.current().info().command().orElse(
            System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
    }

    /**
     * The command that runs {@code ringside} in a new JVM with this JVM's flags (debugging agents left out).
     *
     * @param java the {@code java} executable
     * @return the command, to which {@code server} and its options are appended
     */
    public static List<String> ringsideCommand(final String java) {
        final List<String> command = new ArrayList<>();
        command.add(java);
        for (final String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!argument.startsWith("-agentlib") && !argument.startsWith("-javaagent")
                && !argument.startsWith("-Xrunjdwp")) {
                command.add(argument);
            }
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), MAIN_CLASS));
        return command;
    }

    /**
     * Starts a child and waits until it listens.
     *
     * @param command the whole command ({@link #ringsideCommand} + {@code server ...}, maybe behind taskset)
     * @param log     where its output goes
     * @return the listening child
     * @throws IOException when it cannot be started, exits before listening (the message is its last line of
     *                     output) or does not listen within {@link #START_TIMEOUT_MS}; it is stopped then
     */
    public static ServerChild start(final List<String> command, final Path log) throws IOException {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
            .start();
        final ServerChild child = new ServerChild(process, log);
        boolean listening = false;
        try {
            child.awaitListening();
            listening = true;
            return child;
        } finally {
            if (!listening) {
                child.stop();
            }
        }
    }

    private void awaitListening() throws IOException {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
        while (System.nanoTime() - deadlineNs < 0) {
            for (final String line : logLines()) {
                if (line.startsWith("listening tcp ")) {
                    address = Units.parseAddress(line.split(" ")[2]);
                    return;
                }
            }
            if (!process.isAlive()) {
                throw new IOException("the server exited with status " + process.exitValue() + " before listening: "
                    + lastLine());
            }
            try {
                // Polling the child's log until it prints its address; waitFor returns early if it exits.
                process.waitFor(POLL_MS, TimeUnit.MILLISECONDS);
            } catch (final InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while the server started", ex);
            }
        }
        throw new IOException("the server did not listen within " + START_TIMEOUT_MS / 1000 + " s: " + lastLine());
    }

    /** @return the child's pid */
    public long pid() {
        return process.pid();
    }

    /** @return the process */
    public Process process() {
        return process;
    }

    /** @return the TCP address it listens on */
    public InetSocketAddress address() {
        return address;
    }

    /** @return its output file */
    public Path log() {
        return log;
    }

    /** @return the lines of its output so far (none if the file cannot be read) */
    public List<String> logLines() {
        try {
            return Files.readAllLines(log, StandardCharsets.UTF_8);
        } catch (final IOException ex) {
            return List.of();
        }
    }

    /** @return its last non-blank line of output, or "no output" */
    public String lastLine() {
        final List<String> lines = logLines();
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (!lines.get(i).isBlank()) {
                return lines.get(i).trim();
            }
        }
        return "no output (see " + log + ")";
    }

    /**
     * Stops the child by its pid: {@code SIGTERM}, then {@code SIGKILL} after {@link #STOP_TIMEOUT_MS}.
     * Idempotent.
     *
     * @return what happened, e.g. {@code stopped}, {@code had already exited with status 1}
     */
    public String stop() {
        if (stopped) {
            return "stopped";
        }
        stopped = true;
        String outcome;
        try {
            if (!process.isAlive()) {
                outcome = "had already exited with status " + process.exitValue();
            } else {
                process.destroy(); // SIGTERM to this pid: the server stops accepting, flushes, prints counters
                if (process.waitFor(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                    outcome = "stopped";
                } else {
                    process.destroyForcibly();
                    process.waitFor(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                    outcome = "did not stop on SIGTERM within " + STOP_TIMEOUT_MS / 1000 + " s; killed";
                }
            }
        } catch (final InterruptedException ex) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            outcome = "killed (interrupted while stopping)";
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (final IllegalStateException ex) {
            // Already shutting down: the hook will run, which is harmless.
        }
        return outcome;
    }

    @Override
    public void close() {
        stop();
    }
}
