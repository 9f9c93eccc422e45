package dev.ringside.bench.server;

import static dev.ringside.bench.server.ServerArgs.settings;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;

import org.junit.jupiter.api.Test;
import dev.ringside.engine.server.ServerSettings;

/**
 * Replies are never larger than requests, except rr with {@code --response-size}: the server warns at start-up
 * when such an endpoint is reachable off loopback. Catches a warning that is missing or printed on loopback.
 */
class AmplificationWarningTest {
    private static final List<InetSocketAddress> LOOPBACK = List.of(new InetSocketAddress("127.0.0.1", 5000));
    private static final List<InetSocketAddress> WILDCARD = List.of(new InetSocketAddress("0.0.0.0", 5000));

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
