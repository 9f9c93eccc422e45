package dev.ringside.bench.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.ringside.bench.record.BenchResult;
import dev.ringside.engine.testing.ExternalTool;
import dev.ringside.engine.protocol.sockperf.Sockperf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The generator's sockperf mode against the real {@code sockperf server} (Debian package {@code sockperf}),
 * over TCP and UDP: every message answered, verified, nothing lost. Skipped when sockperf is not installed,
 * failed when it is missing in CI ({@link ExternalTool}).
 */
class SockperfInteropTest {
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static BenchResult runAgainstSockperf(final boolean udp) throws Exception {
        ExternalTool.require("sockperf", "sockperf");
        final int port = freePort();
        final ProcessBuilder builder;
        if (udp) {
            builder = new ProcessBuilder("sockperf", "server", "-i", "127.0.0.1", "-p", Integer.toString(port));
        } else {
            // Given one address, sockperf's server blocks in recvfrom on one TCP connection at a time; a feed
            // file with epoll makes it serve several connections, as the generator needs.
            final Path feed = Files.createTempFile("sockperf-feed", ".txt");
            feed.toFile().deleteOnExit();
            Files.writeString(feed, "T:127.0.0.1:" + port + "\n");
            builder = new ProcessBuilder("sockperf", "server", "-f", feed.toString(), "-F", "epoll");
        }
        final Process server = builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
        try {
            final InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
            if (!udp) {
                awaitListening(address, server);
            }
            // UDP: datagrams sent before the server binds are lost and would count; give it its first reply
            // by retrying a one-socket probe run until one succeeds.
            if (udp) {
                for (int attempt = 0; attempt < 50; attempt++) {
                    final BenchResult probe = TestServers.run(TestServers.quick(address).udp(true)
                        .protocol(Sockperf.SPEC).size(14).rate(100).durationNs(20_000_000L)
                        .timeoutNs(100_000_000L));
                    if (probe.completed() > 0) {
                        break;
                    }
                }
            }
            // 1,000 msg/s: the server's default receive buffer holds a few hundred ms of datagrams, so a loaded
            // machine that descheduled sockperf for that long still loses none; late replies are not loss.
            return TestServers.run(TestServers.quick(address).udp(udp).protocol(Sockperf.SPEC).size(64)
                .connections(4).rate(1000).durationNs(2_000_000_000L).warmupNs(200_000_000L)
                .timeoutNs(5_000_000_000L));
        } finally {
            server.destroy();
            if (!server.waitFor(5, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    private static void awaitListening(final InetSocketAddress address, final Process server) throws IOException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() - deadline < 0) {
            try (SocketChannel probe = SocketChannel.open(address)) {
                if (probe.isConnected()) {
                    return;
                }
            } catch (final java.net.ConnectException ex) {
                if (!server.isAlive()) {
                    throw new IOException("sockperf server exited with " + server.exitValue());
                }
                Thread.onSpinWait();
            }
        }
        throw new IOException("sockperf server did not listen on " + address);
    }

    @Test
    @Timeout(60)
    void shouldDriveTheRealSockperfServerOverTcp() throws Exception {
        final BenchResult result = runAgainstSockperf(false);
        assertEquals(2000, result.sent(), "2 s at 1,000 msg/s");
        assertEquals(2000, result.completed());
        assertEquals(0, result.errorTotal(), result.errors().toString());
        assertTrue(result.warnings().isEmpty(), result.warnings().toString());
    }

    @Test
    @Timeout(60)
    void shouldDriveTheRealSockperfServerOverUdp() throws Exception {
        final BenchResult result = runAgainstSockperf(true);
        assertEquals(2000, result.sent(), "2 s at 1,000 msg/s");
        assertEquals(2000, result.completed(), "no loss on loopback at 1,000 msg/s");
        assertEquals(0, result.errorTotal(), result.errors().toString());
    }
}
