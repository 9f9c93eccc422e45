package dev.ringside.engine.protocol.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.ringside.engine.counter.EngineCounter;
import dev.ringside.engine.protocol.CloseReason;
import dev.ringside.engine.server.ProtocolTimerTask;
import dev.ringside.engine.testing.ExternalTool;
import dev.ringside.engine.testing.LoopHarness;
import org.agrona.concurrent.SystemEpochClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Real HTTP clients against the http protocol: {@code wrk} and {@code curl} (Debian packages of those names). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpInteropTest {
    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in ");

    private static LoopHarness serve() {
        return new LoopHarness(LoopHarness.smallConfig());
    }

    /** Listens with the http protocol and its once-a-second Date timer, as the server does. */
    private static String url(final LoopHarness harness, final String path) {
        final HttpProtocol protocol = new HttpProtocol(HttpProtocol.DEFAULT_MAX_HEADER_BYTES);
        final InetSocketAddress address = harness.listenTcp(protocol);
        ProtocolTimerTask.start(harness.loop(), protocol.timer(), SystemEpochClock.INSTANCE);
        return "http://127.0.0.1:" + address.getPort() + path;
    }

    private static void assertCleanServer(final LoopHarness harness) {
        LoopHarness.await(() -> harness.counters().get(EngineCounter.CONNECTIONS_OPEN) == 0);
        assertEquals(0, harness.counters().closedBy(CloseReason.PROTOCOL_ERROR));
        assertEquals(0, harness.counters().closedBy(CloseReason.HANDLER_ERROR));
        assertEquals(0, harness.counters().get(EngineCounter.HANDLER_ERRORS));
        assertEquals(0, harness.counters().get(EngineCounter.RINGS_LEASED));
    }

    @Test
    void shouldServeWrkWithoutSocketErrorsOrNon2xxResponses() {
        final String wrk = ExternalTool.require("wrk", "wrk").toString();
        try (LoopHarness harness = serve()) {
            final String url = url(harness, "/plaintext");
            harness.startThread();
            final String output = ExternalTool.run(30, wrk, "-t1", "-c16", "-d1s", url);
            final Matcher requests = REQUESTS.matcher(output);
            assertTrue(requests.find(), () -> "no request count:\n" + output);
            final long count = Long.parseLong(requests.group(1));
            assertTrue(count > 100, () -> "too few requests:\n" + output);
            assertFalse(output.contains("Socket errors"), () -> "wrk saw socket errors:\n" + output);
            assertFalse(output.contains("Non-2xx"), () -> "wrk saw non-2xx responses:\n" + output);
            assertTrue(output.contains("Requests/sec:"), () -> output);
            assertCleanServer(harness);
            assertTrue(harness.counters().get(EngineCounter.MESSAGES_IN) >= count);
        }
    }

    @Test
    void shouldServeCurlOverOneKeptConnection() {
        final String curl = ExternalTool.require("curl", "curl").toString();
        try (LoopHarness harness = serve()) {
            final String url = url(harness, "/");
            harness.startThread();
            final String output = ExternalTool.run(20, curl, "-sS", "-i", "--http1.1", url, url + "again");
            assertEquals(2, count(output, "HTTP/1.1 200 OK\r\n"), output);
            assertEquals(2, count(output, "\r\n\r\nHello, World!"), output);
            assertEquals(2, count(output, "Content-Type: text/plain\r\nContent-Length: 13\r\n"), output);
            assertTrue(output.matches(
                "(?s).*Date: [A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT\r\n.*"), output);
            final String head = ExternalTool.run(20, curl, "-sS", "-I", "-H", "Connection: close", url);
            assertTrue(head.startsWith("HTTP/1.1 200 OK\r\n") && head.contains("Connection: close\r\n"), head);
            assertCleanServer(harness);
            assertEquals(2, harness.counters().get(EngineCounter.CONNECTIONS_ACCEPTED), "curl reused its connection");
            assertEquals(3, harness.counters().get(EngineCounter.MESSAGES_IN));
        }
    }

    private static int count(final String text, final String part) {
        int count = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            count++;
        }
        return count;
    }
}
