package dev.ringside.bench.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import dev.ringside.engine.config.Units;
import dev.ringside.engine.testing.LoopHarness;
import dev.ringside.engine.testing.Payloads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import dev.ringside.engine.server.CountersLocation;

/**
 * {@code ringside server} and {@code ringside stat} as separate processes, as a user runs them: stat's live
 * mode refreshes the counters while traffic flows and ends when the server exits; SIGTERM stops the server
 * gracefully, printing its final counters.
 * Catches: stat printing one snapshot and stopping (or never noticing the exit), the shutdown hook not
 * printing the counters, a SIGTERM that kills the server without the graceful path.
 */
@Timeout(90)
class ServerProcessTest {
    private static final Pattern BYTES_IN_5 = Pattern.compile("\\s*bytes in\\s+5(\\s.*)?");

    @Test
    void shouldRefreshStatLiveAndStopGracefullyOnSigterm() throws Exception {
        final WatchedChild server = WatchedChild.start(ChildServerMain.class, "--tcp", "127.0.0.1:0");
        WatchedChild stat = null;
        try {
            server.await(line -> line.startsWith("listening tcp "));
            final String listening = server.first(line -> line.startsWith("listening tcp "));
            final InetSocketAddress address = Units.parseAddress(listening.split(" ")[2]);
            LoopHarness.await(() -> CountersLocation.fileFor(server.process().pid()).exists());

            final String serverPid = Long.toString(server.process().pid());
            stat = WatchedChild.start(ChildStatMain.class, "--interval", "100ms", serverPid);
            final WatchedChild watcher = stat;
            watcher.await(line -> line.startsWith("ringside stat: pid " + server.process().pid()));
            try (SocketChannel client = SocketChannel.open(address)) {
                Payloads.writeFully(client, "hello".getBytes(StandardCharsets.US_ASCII));
                assertArrayEquals("hello".getBytes(StandardCharsets.US_ASCII), Payloads.readFully(client, 5));
                // A later snapshot of the same stat process shows the traffic: it refreshes.
                watcher.await(line -> BYTES_IN_5.matcher(line).matches());
            }

            // SIGTERM through the handle: Process.destroy() would also close our end of its output.
            assertTrue(server.process().toHandle().destroy(), "SIGTERM sent");
            assertTrue(server.process().waitFor(30, TimeUnit.SECONDS), "the server exits after SIGTERM");
            // 143 = 128 + SIGTERM, the JVM's status after its shutdown hooks ran; issue 11 may make it 0.
            final int status = server.process().exitValue();
            assertTrue(status == 0 || status == 143, "exit status " + status + "\n" + server.text());
            server.await(line -> line.startsWith("final counters:"));
            server.await(line -> BYTES_IN_5.matcher(line).matches());
            server.await(line -> line.matches("\\s*connections accepted\\s+1(\\s.*)?"));
            assertTrue(!server.text().contains("Exception"), server.text());

            assertTrue(watcher.process().waitFor(30, TimeUnit.SECONDS), "stat ends when the server exits");
            watcher.await(line -> line.startsWith("ringside stat: pid " + server.process().pid()
                + " is not running"));
            assertEquals(0, watcher.process().exitValue(), watcher.text());
            final long snapshots = watcher.lines().stream()
                .filter(l -> l.matches("ringside stat: pid \\d+, up .*")).count();
            assertTrue(snapshots >= 2, "live mode printed " + snapshots + " snapshots");
        } finally {
            server.process().destroyForcibly();
            if (stat != null) {
                stat.process().destroyForcibly();
            }
        }
    }
}
