package dev.ringside.bench.driver;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import dev.ringside.engine.testing.ExternalTool;
import dev.ringside.engine.testing.LoopHarness;

/**
 * A real nginx for a test: its own nginx.conf in a temp dir (pid, error and access logs there too, {@code daemon
 * off}), listening on 127.0.0.1 on a free port, started as a child and stopped by its PID. Outside CI a missing
 * nginx skips the test naming the Debian package; under {@code CI=true} it fails.
 */
final class Nginx implements AutoCloseable {
    private final Path dir;
    private final Process process;
    private final InetSocketAddress address;

    private Nginx(final Path dir, final Process process, final InetSocketAddress address) {
        this.dir = dir;
        this.process = process;
        this.address = address;
    }

    /**
     * Starts nginx with a server block.
     *
     * @param serverBlock directives inside {@code server { }} (after listen and root); {@code $DIR} is the temp dir
     * @param httpBlock   extra directives inside {@code http { }}
     * @return the running nginx, listening
     */
    static Nginx start(final String serverBlock, final String httpBlock) throws IOException {
        final Path nginx = ExternalTool.require("nginx", "nginx-light");
        // Readable by all: started as root, nginx's workers run as nobody and must read the html directory.
        final Path dir = Files.createTempDirectory("ringside-nginx-",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.createDirectories(dir.resolve("html"));
        final int port;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        final String d = dir.toString();
        final String conf = "daemon off;\nworker_processes 1;\npid " + d + "/nginx.pid;\nerror_log " + d
            + "/error.log;\nevents { worker_connections 1024; }\nhttp {\n  access_log off;\n"
            + "  client_body_temp_path " + d + "/body; proxy_temp_path " + d + "/proxy;\n"
            + "  fastcgi_temp_path " + d + "/fcgi; uwsgi_temp_path " + d + "/uwsgi; scgi_temp_path " + d + "/scgi;\n"
            // Reconnects are another part of the issue: here every connection lives through the whole run.
            + "  keepalive_requests 1000000;\n  keepalive_timeout 60s;\n" + httpBlock.replace("$DIR", d) + "\n"
            + "  server {\n    listen 127.0.0.1:" + port + ";\n    root " + d + "/html;\n"
            + serverBlock.replace("$DIR", d) + "\n  }\n}\n";
        Files.writeString(dir.resolve("nginx.conf"), conf, StandardCharsets.US_ASCII);
        final Process process = new ProcessBuilder(nginx.toString(), "-c", d + "/nginx.conf", "-p", d)
            .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        final Nginx started = new Nginx(dir, process, new InetSocketAddress("127.0.0.1", port));
        try {
            LoopHarness.await(() -> !process.isAlive() || started.accepts());
            if (!process.isAlive()) {
                throw new IOException("nginx exited: " + Files.readString(dir.resolve("stdout.log"))
                    + Files.readString(dir.resolve("error.log")));
            }
        } catch (final IOException | RuntimeException | Error ex) {
            started.close();
            throw ex;
        }
        return started;
    }

    private boolean accepts() {
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            return socket.isConnected();
        } catch (final IOException ex) {
            return false;
        }
    }

    /** @return where it listens */
    InetSocketAddress address() {
        return address;
    }

    /**
     * @param name a file under the temp dir
     * @return its path
     */
    Path file(final String name) {
        return dir.resolve(name);
    }

    /** Stops nginx by its PID (SIGTERM, then SIGKILL if it lingers) and waits for it. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (final InterruptedException ex) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
