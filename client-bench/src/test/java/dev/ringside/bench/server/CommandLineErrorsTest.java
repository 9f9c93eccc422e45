package dev.ringside.bench.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;

import dev.ringside.bench.command.CommandLauncher;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CommandLineErrorsTest {
    private String stderr;

    private int run(final Object command, final String... args) {
        final CommandLine commandLine = CommandLauncher.commandLine(command);
        final StringWriter err = new StringWriter();
        commandLine.setErr(new PrintWriter(err));
        commandLine.setOut(new PrintWriter(new StringWriter()));
        final int status = commandLine.execute(args);
        stderr = err.toString();
        return status;
    }

    private void assertOneLine(final String expectedFragment) {
        final String[] lines = stderr.strip().split("\n");
        assertEquals(1, lines.length, "exactly one line on stderr, got: " + stderr);
        assertTrue(lines[0].contains(expectedFragment), lines[0]);
        assertTrue(!stderr.contains("\tat "), "no stack trace");
    }

    @Test
    void shouldRejectUnknownFlagWithOneLine() {
        assertEquals(CommandLauncher.EXIT_USAGE, run(new ServerCommand(), "--bogus"));
        assertOneLine("Unknown option: '--bogus'");
    }

    @Test
    void shouldRejectUnknownProtocolWithOneLine() {
        assertEquals(CommandLauncher.EXIT_USAGE, run(new ServerCommand(), "--protocol", "gopher", "--tcp", ":0"));
        assertOneLine("unknown protocol 'gopher'");
    }

    @Test
    void shouldSayInOneLineThatRawRedisAndMemcachedAreClientOnly() {
        for (final String name : new String[] {"raw", "redis", "memcached"}) {
            assertEquals(CommandLauncher.EXIT_USAGE, run(new ServerCommand(), "--protocol", name, "--tcp",
                "127.0.0.1:0", "--no-counters-file"));
            assertOneLine("protocol " + name + " is client-only");
        }
    }

    @Test
    void shouldRejectAnotherProtocolsOptionWithOneLine() {
        // The options come from the registry; each belongs to its own protocol.
        assertEquals(CommandLauncher.EXIT_USAGE, run(new ServerCommand(), "--protocol", "echo", "--max-line", "1k",
            "--tcp", "127.0.0.1:0", "--no-counters-file"));
        assertOneLine("--max-line goes with --protocol chat, not echo");
        assertEquals(CommandLauncher.EXIT_USAGE, run(new ServerCommand(), "--protocol", "chat", "--max-line", "lots",
            "--tcp", "127.0.0.1:0", "--no-counters-file"));
        assertOneLine("--max-line lots:");
    }

    @Test
    void shouldRejectPreforkOfABlockingModelOrOfOneChatRoom() {
        // Caught before any worker starts: one line from the supervisor, not one per worker.
        assertEquals(CommandLauncher.EXIT_USAGE, run(new ServerCommand(), "--processes", "2", "--model", "thread",
            "--tcp", "127.0.0.1:0", "--no-counters-file"));
        assertOneLine("--processes runs selector or multi workers; for worker processes with a thread per "
            + "connection use --model process --workers 2");
        assertEquals(CommandLauncher.EXIT_USAGE, run(new ServerCommand(), "--processes", "2", "--protocol", "chat",
            "--tcp", "127.0.0.1:0", "--no-counters-file"));
        assertOneLine("worker processes cannot share: drop --processes");
        assertEquals(CommandLauncher.EXIT_USAGE, run(new ServerCommand(), "--processes", "0"));
        assertOneLine("--processes must be at least 1, got 0");
    }

    @Test
    void shouldRejectBadRingCapacityAndIdleMode() {
        assertEquals(CommandLauncher.EXIT_USAGE, run(new ServerCommand(), "--ring-capacity", "1000"));
        assertOneLine("power of two");
        assertEquals(CommandLauncher.EXIT_USAGE, run(new ServerCommand(), "--idle", "nap"));
        assertOneLine("--idle");
        assertEquals(CommandLauncher.EXIT_USAGE, run(new ServerCommand(), "--tcp", "127.0.0.1:99999"));
        assertOneLine("bad port");
    }

    @Test
    void shouldReportPortInUseWithOneLine() throws Exception {
        try (ServerSocketChannel holder = ServerSocketChannel.open()) {
            holder.bind(new InetSocketAddress("127.0.0.1", 0));
            final int port = ((InetSocketAddress) holder.getLocalAddress()).getPort();
            assertEquals(CommandLauncher.EXIT_FAILURE,
                run(new ServerCommand(), "--tcp", "127.0.0.1:" + port, "--no-counters-file"));
            assertOneLine("cannot listen on tcp 127.0.0.1:" + port);
        }
    }

    @Test
    void shouldReportMissingServerForStat() {
        assertEquals(CommandLauncher.EXIT_FAILURE, run(new StatCommand(), "--once", "999999999"));
        assertOneLine("no counters for pid 999999999");
    }
}
