package dev.ringside.bench.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.ringside.bench.record.BenchResult;
import dev.ringside.engine.protocol.OptionValues;
import dev.ringside.engine.protocol.ProtocolOption;
import dev.ringside.engine.protocol.http.Http;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The HTTP client against a real nginx: chunked responses (ssi, with a trailer), HEAD and 204 without bodies,
 * and method, header and body reaching nginx (checked in its access log). Closed loop on a few keep-alive
 * connections; every request must complete, with no error of any kind.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NginxHttpTest {
    private static BenchSettings closedLoop(final Nginx nginx, final Map<ProtocolOption<?>, List<String>> options) {
        return new BenchSettings().target(nginx.address()).protocol(Http.SPEC, OptionValues.parse(options))
            .connections(4).closedLoop(true).warmupNs(0).durationNs(TimeUnit.MILLISECONDS.toNanos(700))
            .timeoutNs(TimeUnit.SECONDS.toNanos(2));
    }

    private static void assertEveryRequestCompleted(final BenchResult result) {
        assertEquals(0, result.errorTotal(), "errors: " + result.errors());
        assertTrue(result.completed() > 100, "completed " + result.completed());
        assertEquals(result.sent(), result.completed(), "sent and completed");
        assertEquals(Map.of("1xx", 0L, "2xx", result.completed(), "3xx", 0L, "4xx", 0L, "5xx", 0L),
            result.statusClasses());
    }

    @Test
    void shouldReadChunkedResponsesWithTrailers() throws Exception {
        // Catches: a codec that takes the chunked body for garbage (every reply a protocol error), or that loses
        // its place after a trailer (timeouts).
        try (Nginx nginx = Nginx.start("location /ssi { ssi on; default_type text/html; add_trailer X-T done; "
            + "try_files /ssi.html =404; }", "")) {
            Files.writeString(nginx.file("html/ssi.html"), "hello <!--# echo var=\"host\" default=\"x\" --> world "
                + "x".repeat(5000), StandardCharsets.US_ASCII);
            assertEveryRequestCompleted(TestServers.run(closedLoop(nginx, Map.of(Http.PATH, List.of("/ssi")))));
        }
    }

    @Test
    void shouldReadHeadAndNoContentResponsesWithoutBodies() throws Exception {
        // Catches: reading a body after HEAD or 204 (the codec would wait for bytes that never come: timeouts).
        try (Nginx nginx = Nginx.start("location = /empty { return 204; }", "")) {
            Files.writeString(nginx.file("html/index.html"), "x".repeat(1000), StandardCharsets.US_ASCII);
            assertEveryRequestCompleted(TestServers.run(closedLoop(nginx,
                Map.of(Http.METHOD, List.of("HEAD"), Http.PATH, List.of("/index.html")))));
            assertEveryRequestCompleted(TestServers.run(closedLoop(nginx, Map.of(Http.PATH, List.of("/empty")))));
        }
    }

    @Test
    void shouldSendMethodHeadersAndBodyThatReachNginx() throws Exception {
        // Catches: a header or the body not sent, or a wrong Content-Length (nginx would wait for the rest of the
        // body, or read the next request as body: timeouts and 400s).
        try (Nginx nginx = Nginx.start("location = /sink { return 200 ok; }\n"
            + "location /body { access_log $DIR/body.log t; proxy_pass http://127.0.0.1:$server_port/sink; }",
            "log_format t '$request_method $http_x_test $request_length [$request_body]';")) {
            final Map<ProtocolOption<?>, List<String>> options = new LinkedHashMap<>();
            options.put(Http.METHOD, List.of("POST"));
            options.put(Http.PATH, List.of("/body"));
            options.put(Http.HEADER, List.of("X-Test: abc"));
            options.put(Http.BODY, List.of("hello=1"));
            final BenchSettings settings = closedLoop(nginx, options);
            final BenchResult result = TestServers.run(settings);
            assertEveryRequestCompleted(result);
            final int requestBytes = settings.codecs().newCodec(0).maxRequestBytes();
            final List<String> logged = Files.readAllLines(nginx.file("body.log"));
            // Measured requests and any sent at the very start of the window (counted as warm-up) are all logged.
            assertTrue(logged.size() >= result.completed(), "one access-log line per request");
            for (final String line : logged) {
                assertEquals("POST abc " + requestBytes + " [hello=1]", line);
            }
        }
    }
}
