package dev.ringside.engine.protocol.http;

import static dev.ringside.engine.protocol.http.HttpProtocolTest.BAD_REQUEST;
import static dev.ringside.engine.protocol.http.HttpProtocolTest.EXAMPLE_DATE;
import static dev.ringside.engine.protocol.http.HttpProtocolTest.EXAMPLE_MILLIS;
import static dev.ringside.engine.protocol.http.HttpProtocolTest.GET;
import static dev.ringside.engine.protocol.http.HttpProtocolTest.TOO_LARGE;
import static dev.ringside.engine.protocol.http.HttpProtocolTest.notAllowed;
import static dev.ringside.engine.protocol.http.HttpProtocolTest.ok;
import static dev.ringside.engine.protocol.http.HttpProtocolTest.okHead;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import dev.ringside.engine.counter.EngineCounter;
import dev.ringside.engine.protocol.CloseReason;
import dev.ringside.engine.server.ProtocolTimerTask;
import dev.ringside.engine.testing.LoopHarness;
import dev.ringside.engine.testing.LoopbackClient;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HttpLoopbackTest {
    private LoopHarness harness;
    private LoopbackClient client;

    @AfterEach
    void closeAll() {
        if (client != null) {
            client.close();
        }
        if (harness != null) {
            harness.close();
        }
    }

    private InetSocketAddress start(final int maxHeaderBytes) {
        harness = new LoopHarness(LoopHarness.smallConfig());
        return harness.listenTcp(new HttpProtocol(maxHeaderBytes, HttpProtocol.SERVER_NAME, new HttpDate(
            EXAMPLE_MILLIS)));
    }

    private String exchangeUntilClosed(final InetSocketAddress address, final String requests) {
        client = LoopbackClient.connect(address);
        client.send(requests);
        harness.runUntil(() -> client.poll() && client.closedByPeer());
        return client.receivedText();
    }

    private void finish(final long messagesIn, final CloseReason reason) {
        if (client != null) {
            client.close();
        }
        harness.runUntil(() -> harness.loop().openConnections() == 0);
        assertEquals(0, harness.leasedRings(), "every ring back in the pool");
        assertTrue(harness.errors().isEmpty(), () -> "loop errors: " + harness.errors());
        assertEquals(0, harness.counters().get(EngineCounter.HANDLER_ERRORS));
        assertEquals(messagesIn, harness.counters().get(EngineCounter.MESSAGES_IN));
        assertEquals(1, harness.counters().closedBy(reason), "closed as " + reason);
        if (reason != CloseReason.PROTOCOL_ERROR) {
            assertEquals(0, harness.counters().closedBy(CloseReason.PROTOCOL_ERROR));
        }
    }

    @Test
    void shouldAnswerSixteenPipelinedRequestsInOneWriteInOrder() {
        final InetSocketAddress address = start(HttpProtocol.DEFAULT_MAX_HEADER_BYTES);
        final StringBuilder requests = new StringBuilder();
        final StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 15; i++) {
            final boolean head = i % 3 == 1;
            requests.append(head ? "HEAD" : "GET").append(" /r").append(i).append(" HTTP/1.1\r\nHost: h\r\n\r\n");
            expected.append(head ? okHead("") : ok(""));
        }
        requests.append("GET /last HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
        expected.append(ok("close"));
        assertEquals(expected.toString(), exchangeUntilClosed(address, requests.toString()));
        assertFalse(client.wasReset(), "a clean close after the last response");
        finish(16, CloseReason.LOCAL_CLOSE);
    }

    @Test
    void shouldKeepTheConnectionAcrossRequestsSentOneAtATime() {
        final InetSocketAddress address = start(HttpProtocol.DEFAULT_MAX_HEADER_BYTES);
        client = LoopbackClient.connect(address);
        for (int i = 1; i <= 3; i++) {
            client.send(GET);
            final int expected = ok("").length() * i;
            harness.runUntil(() -> client.poll() && client.receivedBytes() >= expected);
        }
        assertEquals(ok("").repeat(3), client.receivedText());
        assertFalse(client.closedByPeer());
        finish(3, CloseReason.PEER_CLOSED);
    }

    @Test
    void shouldAnswerMalformedRequestsWith400AndClose() {
        final InetSocketAddress address = start(HttpProtocol.DEFAULT_MAX_HEADER_BYTES);
        assertEquals(BAD_REQUEST, exchangeUntilClosed(address, "BLAH\r\n"));
        finish(0, CloseReason.PROTOCOL_ERROR);
    }

    /** Each strictness rule on a real connection: the 400 arrives, then the close, counted as a protocol error. */
    @ParameterizedTest
    @ValueSource(strings = {
        "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc",
        "GET / HTTP/1.1\r\nHost: h\r\nX: a\u0000b\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: h\r\nX: a\rb\r\n\r\n",
        "\r\n\r\n\r\n\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n"})
    void shouldCloseAndCountStrictnessViolationsAsProtocolErrors(final String request) {
        final InetSocketAddress address = start(HttpProtocol.DEFAULT_MAX_HEADER_BYTES);
        assertEquals(BAD_REQUEST, exchangeUntilClosed(address, request));
        finish(0, CloseReason.PROTOCOL_ERROR);
    }

    @Test
    void shouldAnswerOversizedHeadsWith431AndClose() {
        final InetSocketAddress address = start(1024);
        assertEquals(TOO_LARGE,
            exchangeUntilClosed(address, "GET / HTTP/1.1\r\nHost: h\r\nCookie: " + "c".repeat(2000) + "\r\n\r\n"));
        finish(0, CloseReason.FRAME_TOO_LARGE);
    }

    @Test
    void shouldAnswerOtherMethodsWith405AndServeTheNextRequest() {
        final InetSocketAddress address = start(HttpProtocol.DEFAULT_MAX_HEADER_BYTES);
        assertEquals(notAllowed("") + ok("close"), exchangeUntilClosed(address,
            "OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"));
        finish(2, CloseReason.LOCAL_CLOSE);
    }

    @Test
    void shouldAnswerAnHttp10RequestAndCloseEvenWhenThePeerHalfCloses() {
        final InetSocketAddress address = start(HttpProtocol.DEFAULT_MAX_HEADER_BYTES);
        client = LoopbackClient.connect(address);
        client.send("GET / HTTP/1.0\r\n\r\n");
        client.shutdownOutput();
        harness.runUntil(() -> client.poll() && client.closedByPeer());
        assertEquals(ok("close"), client.receivedText());
        assertEquals(1, harness.counters().get(EngineCounter.MESSAGES_IN));
        harness.runUntil(() -> harness.loop().openConnections() == 0);
        assertEquals(0, harness.leasedRings());
    }

    @Test
    void shouldAnswerEveryPipelinedRequestWhenThePeerHalfClosesRightAfterSendingThem() {
        // Far more responses than the outbound ring holds: some requests are still waiting for output when
        // the end of stream arrives, and they are owed their responses all the same.
        harness = new LoopHarness(LoopHarness.smallConfig().socketSendBufferBytes(4096));
        final InetSocketAddress address = harness.listenTcp(
            new HttpProtocol(HttpProtocol.DEFAULT_MAX_HEADER_BYTES, HttpProtocol.SERVER_NAME, new HttpDate(
                EXAMPLE_MILLIS)));
        client = LoopbackClient.connect(address, 4096);
        client.send(GET.repeat(2000));
        client.shutdownOutput();
        harness.runUntil(() -> client.poll() && client.closedByPeer());
        assertEquals(ok("").repeat(2000), client.receivedText());
        finish(2000, CloseReason.PEER_CLOSED);
    }

    @Test
    void shouldRefreshTheDateFromTheLoopTimerOncePerSecond() {
        final CachedNanoClock nanoClock = new CachedNanoClock();
        final CachedEpochClock wallClock = new CachedEpochClock();
        wallClock.update(EXAMPLE_MILLIS + 400);
        harness = new LoopHarness(LoopHarness.smallConfig(), nanoClock);
        final HttpDate date = new HttpDate(0);
        final InetSocketAddress address = harness.listenTcp(new HttpProtocol(HttpProtocol.DEFAULT_MAX_HEADER_BYTES,
            HttpProtocol.SERVER_NAME, date));
        ProtocolTimerTask.start(harness.loop(), date, wallClock);
        assertEquals(EXAMPLE_MILLIS / 1000, date.epochSecond(), "set at once when the task starts");

        client = LoopbackClient.connect(address);
        client.send(GET);
        harness.runUntil(() -> client.poll() && client.receivedBytes() == ok("").length());
        assertTrue(client.receivedText().contains("Date: " + EXAMPLE_DATE + "\r\n"));

        wallClock.update(EXAMPLE_MILLIS + 1_000);
        nanoClock.advance(TimeUnit.MILLISECONDS.toNanos(500));
        for (int i = 0; i < 200; i++) {
            harness.cycle();
        }
        assertEquals(EXAMPLE_MILLIS / 1000, date.epochSecond(), "the timer is not due before the next second");
        nanoClock.advance(TimeUnit.MILLISECONDS.toNanos(200));
        harness.runUntil(() -> date.epochSecond() == EXAMPLE_MILLIS / 1000 + 1);
        client.send(GET);
        harness.runUntil(() -> client.poll() && client.receivedBytes() == 2 * ok("").length());
        assertTrue(client.receivedText().endsWith(ok("").replace(EXAMPLE_DATE, "Sun, 06 Nov 1994 08:49:38 GMT")));
        finish(2, CloseReason.PEER_CLOSED);
    }
}
