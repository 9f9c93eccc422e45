package dev.ringside.engine.server;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Replies are never larger than requests, except rr with {@code --response-size}: the server warns at start-up
 * when such an endpoint is reachable off loopback. Catches a warning that is missing or printed on loopback.
 */
class AmplificationWarningTest {
    private static final PrintStream NOWHERE = new PrintStream(PrintStream.nullOutputStream());
    private static final List<InetSocketAddress> LOOPBACK = List.of(new InetSocketAddress("127.0.0.1", 5000));
    private static final List<InetSocketAddress> WILDCARD = List.of(new InetSocketAddress("0.0.0.0", 5000));

    private static ServerSettings settings(final String... args) {
        final ServerCommand command = new ServerCommand();
        CommandLauncher.commandLine(command).parseArgs(args);
        return command.settings(NOWHERE);
    }

    @Test
    void shouldWarnOnlyForAFixedRrReplyReachableOffLoopback() {
        final ServerSettings large = settings("--protocol", "rr", "--response-size", "1k");
        final String warning = ServerCommand.amplificationWarning(large, WILDCARD);
        assertNotNull(warning);
        assertTrue(warning.contains("0.0.0.0:5000") && warning.contains("1028 bytes"), warning);
        assertNull(ServerCommand.amplificationWarning(large, LOOPBACK));
        assertNull(ServerCommand.amplificationWarning(settings("--protocol", "rr"), WILDCARD), "echoed frame");
        assertNull(ServerCommand.amplificationWarning(settings("--protocol", "rr", "--response-size", "0"),
            WILDCARD), "a 4-byte reply is never larger than a request");
        assertNull(ServerCommand.amplificationWarning(settings("--protocol", "echo"), WILDCARD));
    }
}
