package dev.ringside.bench.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.ringside.engine.config.Units;
import dev.ringside.engine.counter.CounterTotals;
import dev.ringside.engine.counter.CountersFile;
import dev.ringside.engine.counter.EngineCounter;
import dev.ringside.engine.testing.ChildJvm;
import dev.ringside.engine.testing.LoopHarness;
import dev.ringside.engine.testing.Payloads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import dev.ringside.engine.server.CountersLocation;

/**
 * A real EMFILE: the server runs in a child JVM whose open-files limit is lowered with {@code ulimit -n},
 * more clients connect than it can hold, and it must back off (counted) rather than spin or die, then serve
 * again once descriptors are free.
 */
@Timeout(90)
class FileDescriptorExhaustionTest {
    private static final int FD_LIMIT = 96;

    @Test
    void shouldBackOffOnRealEmfileAndServeAgainAfterwards() throws Exception {
        // --max-connections above the fd limit on purpose: a real EMFILE.
        final Process child = startServer("--tcp", "127.0.0.1:0", "--max-connections", "100000");
        final List<SocketChannel> clients = new ArrayList<>();
        try {
            final BufferedReader output = output(child);
            final InetSocketAddress address = Units.parseAddress(awaitLine(output, "listening tcp ").split(" ")[2]);
            final File countersFile = CountersLocation.fileFor(child.pid());
            LoopHarness.await(countersFile::exists);
            try (CountersFile counters = CountersFile.open(countersFile)) {
                // The kernel completes handshakes into the backlog whatever the server's fd limit is.
                for (int i = 0; i < FD_LIMIT + 20; i++) {
                    clients.add(SocketChannel.open(address));
                }
                LoopHarness.await(() -> total(counters, EngineCounter.ACCEPT_BACKOFFS) >= 1);
                assertTrue(child.isAlive(), "the server survives running out of descriptors");
                final long accepted = total(counters, EngineCounter.CONNECTIONS_ACCEPTED);
                assertTrue(accepted < clients.size(), "accepted " + accepted + " of " + clients.size());

                for (final SocketChannel client : clients) {
                    client.close();
                }
                clients.clear();
                // With descriptors free again, the back-off timer re-enables accepting and a new client is served.
                LoopHarness.await(() -> total(counters, EngineCounter.CONNECTIONS_OPEN) == 0
                    && total(counters, EngineCounter.CONNECTIONS_ACCEPTED) >= FD_LIMIT + 20);
                try (SocketChannel late = SocketChannel.open(address)) {
                    Payloads.writeFully(late, "served".getBytes());
                    assertArrayEquals("served".getBytes(), Payloads.readFully(late, 6));
                }
                assertEquals(0, total(counters, EngineCounter.HANDLER_ERRORS));
            }
        } finally {
            stop(child, clients);
        }
    }

    /**
     * Catches: a default {@code --max-connections} that ignores the open-files limit, so clients past it
     * complete the handshake and hang in the backlog instead of being closed at once and counted.
     */
    @Test
    void shouldDefaultMaxConnectionsToTheDescriptorLimitAndRejectPastIt() throws Exception {
        final Process child = startServer("--tcp", "127.0.0.1:0");
        final List<SocketChannel> clients = new ArrayList<>();
        try {
            final BufferedReader output = output(child);
            final InetSocketAddress address = Units.parseAddress(awaitLine(output, "listening tcp ").split(" ")[2]);
            final String limits = awaitLine(output, "limits max connections ");
            final int max = Integer.parseInt(limits.split(" ")[3]);
            assertTrue(limits.contains("open-files limit " + FD_LIMIT), limits);
            assertTrue(max > 0 && max < FD_LIMIT, "start-up lines: max " + max);
            final File countersFile = CountersLocation.fileFor(child.pid());
            LoopHarness.await(countersFile::exists);
            try (CountersFile counters = CountersFile.open(countersFile)) {
                for (int i = 0; i < max + 10; i++) {
                    clients.add(SocketChannel.open(address));
                }
                LoopHarness.await(() -> total(counters, EngineCounter.CONNECTIONS_REJECTED) == 10);
                assertEquals(max, total(counters, EngineCounter.CONNECTIONS_OPEN));
                assertEquals(0, total(counters, EngineCounter.ACCEPT_BACKOFFS), "never ran out of descriptors");
                final SocketChannel last = clients.get(clients.size() - 1);
                assertEquals(0, Payloads.readToEnd(last).length, "a rejected client sees its connection closed");
            }
            // A graceful SIGTERM is success (exit 0, not 143), after every connection was closed and counted.
            // (ProcessHandle.destroy sends SIGTERM without closing our end of the child's output, as
            // Process.destroy would.)
            child.toHandle().destroy();
            final StringBuilder rest = new StringBuilder();
            String line;
            while ((line = output.readLine()) != null) {
                rest.append(line).append('\n');
            }
            assertEquals(0, child.waitFor(), rest.toString());
            assertTrue(rest.toString().matches("(?s).*connections open\\s+0\\n.*"), rest.toString());
            assertTrue(rest.toString().matches("(?s).*shutdown\\s+" + max + "\\n.*"), rest.toString());
        } finally {
            stop(child, clients);
        }
    }

    private static Process startServer(final String... args) throws IOException {
        return ChildJvm.startWithOpenFilesLimit(FD_LIMIT, ChildServerMain.class, args);
    }

    private static BufferedReader output(final Process child) {
        return new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    }

    /** @return the first line of the child's output that starts with {@code prefix}, skipping the others */
    private static String awaitLine(final BufferedReader output, final String prefix) throws IOException {
        String line;
        while ((line = output.readLine()) != null) {
            if (line.startsWith(prefix)) {
                return line;
            }
        }
        throw new AssertionError("child server ended without printing '" + prefix + "...'");
    }

    private static void stop(final Process child, final List<SocketChannel> clients) throws Exception {
        for (final SocketChannel client : clients) {
            client.close();
        }
        child.destroy();
        child.waitFor();
    }

    private static long total(final CountersFile counters, final EngineCounter counter) {
        return CounterTotals.read(counters.newReader()).value(counter);
    }
}
