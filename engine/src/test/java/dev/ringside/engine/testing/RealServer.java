package dev.ringside.engine.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;


/**
 * A real server program (redis-server, memcached) started for one test: on a free loopback port, with its
 * own files in a temporary directory, its output in a log there, and stopped by its PID on {@link #close()}.
 * A missing program skips the test naming its Debian package, or fails it under {@code CI=true}
 * ({@link ExternalTool#require}). Start-up is awaited by polling the port with a time cap, never by sleeping.
 */
public final class RealServer implements AutoCloseable {
    private static final long START_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(15);

    private final Process process;
    private final Path directory;
    private final InetSocketAddress address;

    private RealServer(final Process process, final Path directory, final InetSocketAddress address) {
        this.process = process;
        this.directory = directory;
        this.address = address;
    }

    /**
     * Starts redis-server without persistence.
     *
     * @return the running server
     */
    public static RealServer redis() {
        final Path program = ExternalTool.require("redis-server", "redis-server");
        return start(port -> List.of(program.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no", "--dir", "."));
    }

    /**
     * Starts memcached over TCP only.
     *
     * @return the running server
     */
    public static RealServer memcached() {
        final Path program = ExternalTool.require("memcached", "memcached");
        return start(port -> {
            final List<String> command = new ArrayList<>(List.of(program.toString(), "-l", "127.0.0.1", "-p",
                Integer.toString(port), "-U", "0", "-m", "64"));
            if ("root".equals(System.getProperty("user.name"))) {
                command.add("-u"); // memcached refuses to run as root unless told which user to be
                command.add("root");
            }
            return command;
        });
    }

    private interface CommandLine {
        List<String> forPort(int port);
    }

    private static RealServer start(final CommandLine commandLine) {
        try {
            final Path directory = Files.createTempDirectory("ringside-real-server");
            final int port = freePort();
            final Path log = directory.resolve("server.log");
            final Process process = new ProcessBuilder(commandLine.forPort(port)).directory(directory.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            final RealServer server = new RealServer(process, directory,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            try {
                server.awaitListening(log);
            } catch (final RuntimeException | Error ex) {
                server.close();
                throw ex;
            }
            return server;
        } catch (final IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private void awaitListening(final Path log) throws IOException {
        final long deadline = System.nanoTime() + START_TIMEOUT_NS;
        while (System.nanoTime() - deadline < 0) {
            if (!process.isAlive()) {
                throw new AssertionError("server exited with " + process.exitValue() + ": "
                    + Files.readString(log, StandardCharsets.UTF_8));
            }
            try (SocketChannel probe = SocketChannel.open(address)) {
                if (probe.isConnected()) {
                    return;
                }
            } catch (final IOException refused) {
                Thread.onSpinWait(); // not listening yet: poll again until the deadline
            }
        }
        throw new AssertionError("server did not listen on " + address + " within 15 s: "
            + Files.readString(log, StandardCharsets.UTF_8));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** @return where it listens (TCP, 127.0.0.1) */
    public InetSocketAddress address() {
        return address;
    }

    /** @return its process id */
    public long pid() {
        return process.pid();
    }

    /** Stops it by its PID (SIGTERM, then SIGKILL past 10 s) and deletes its directory. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (final InterruptedException ex) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (final IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
