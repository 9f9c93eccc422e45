package dev.ringside.engine.protocol.http;

import static dev.ringside.engine.testing.Feeder.ascii;
import static dev.ringside.engine.testing.Feeder.everySplit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.SplittableRandom;

import dev.ringside.engine.buffer.ByteRing;
import dev.ringside.engine.protocol.CloseReason;
import dev.ringside.engine.protocol.Session;
import dev.ringside.engine.testing.Feeder;
import dev.ringside.engine.testing.RecordingOutbound;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

public class HttpProtocolTest {
    /** RFC 9110's example date. */
    public static final long EXAMPLE_MILLIS = 784_111_777_000L;
    public static final String EXAMPLE_DATE = "Sun, 06 Nov 1994 08:49:37 GMT";
    public static final String GET = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";

    static String response(final String status, final String connection, final String body, final boolean head) {
        return "HTTP/1.1 " + status + "\r\n"
            + "Server: ringside\r\n"
            + "Date: " + EXAMPLE_DATE + "\r\n"
            + "Content-Type: text/plain\r\n"
            + "Content-Length: " + body.length() + "\r\n"
            + (status.startsWith("405") ? "Allow: GET, HEAD\r\n" : "")
            + (connection.isEmpty() ? "" : "Connection: " + connection + "\r\n")
            + "\r\n"
            + (head ? "" : body);
    }

    public static String ok(final String connection) {
        return response("200 OK", connection, "Hello, World!", false);
    }

    public static String okHead(final String connection) {
        return response("200 OK", connection, "Hello, World!", true);
    }

    public static final String BAD_REQUEST = response("400 Bad Request", "close", "Bad Request\n", false);
    public static final String TOO_LARGE = response("431 Request Header Fields Too Large", "close",
        "Request Header Fields Too Large\n", false);

    public static String notAllowed(final String connection) {
        return response("405 Method Not Allowed", connection, "Method Not Allowed\n", false);
    }

    private static Feeder.Subject subject(final int maxHeaderBytes) {
        return new Feeder.Subject(new HttpProtocol(maxHeaderBytes, HttpProtocol.SERVER_NAME, new HttpDate(
            EXAMPLE_MILLIS)).newSession(null),
            new RecordingOutbound(Feeder.OUTPUT_BYTES));
    }

    private static void expect(final String input, final String output, final boolean closes) {
        expect(HttpProtocol.DEFAULT_MAX_HEADER_BYTES, input, output, closes);
    }

    private static void expect(final int maxHeaderBytes, final String input, final String output,
        final boolean closes) {
        everySplit(() -> subject(maxHeaderBytes), ascii(input), result -> {
            assertEquals(output, result.outputText());
            assertEquals(closes, result.closeAfterFlush(), "close after flush");
            assertNull(result.closedWith(), "never an abrupt close when the response fits");
        });
    }

    @Test
    void shouldAnswerPipelinedGetAndHeadInOrderAtEverySplit() {
        expect(GET + "HEAD /x HTTP/1.1\r\nHost: x\r\n\r\n" + "GET /y?z HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n",
            ok("") + okHead("") + ok(""), false);
    }

    @Test
    void shouldHonourConnectionClose() {
        expect("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" + GET, ok("close"), true);
        expect("GET / HTTP/1.1\r\nHost: x\r\nconnection:   Keep-Alive , CLOSE \r\n\r\n", ok("close"), true);
    }

    @Test
    void shouldCloseHttp10UnlessKeepAliveWasAsked() {
        expect("GET / HTTP/1.0\r\n\r\n", ok("close"), true);
        expect("HEAD / HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET / HTTP/1.0\r\n\r\n",
            okHead("keep-alive") + ok("close"), true);
    }

    @Test
    void shouldAcceptBareLineFeedsAndIgnoreBlankLinesBetweenRequests() {
        expect("\r\n\nGET / HTTP/1.1\nHost: x\n\n\r\n" + GET, ok("") + ok(""), false);
    }

    @Test
    void shouldAnswerOtherMethodsWith405AndCloseWhenABodyWouldFollow() {
        expect("DELETE /x HTTP/1.1\r\nHost: x\r\n\r\n" + GET, notAllowed("") + ok(""), false);
        expect("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n" + GET, notAllowed("") + ok(""), false);
        expect("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello", notAllowed("close"), true);
        expect("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", notAllowed("close"), true);
        expect("get / HTTP/1.1\r\nHost: x\r\n\r\n", notAllowed(""), false);
    }

    @Test
    void shouldAnswerMalformedRequestLinesWith400AndClose() {
        for (final String line : new String[] {
            "GET /\r\n", "GET  / HTTP/1.1\r\n", "GET / HTTP/2.0\r\n", "GET / HTTX/1.1\r\n", "G@T / HTTP/1.1\r\n",
            "GET / HTTP/1.1 \r\n", "GET / HTTP/1.x\r\n", "GET /a b HTTP/1.1\r\n", "GET\r\n", " GET / HTTP/1.1\r\n",
            "GET /\u00e9 HTTP/1.1\r\n", "GET / HTTP/1.10\r\n"}) {
            expect(line + "Host: x\r\n\r\n" + GET, BAD_REQUEST, true);
        }
    }

    @Test
    void shouldRejectAMalformedRequestLineWithoutWaitingForTheHeaders() {
        expect("hello there\r\n", BAD_REQUEST, true);
        expect("GET / HTTP/1.1\r\nHost: x\r\n", "", false);
    }

    @Test
    void shouldAnswerMalformedHeadersWith400AndClose() {
        for (final String headers : new String[] {
            "Host: x\r\nNo colon here\r\n", "Host: x\r\nName : value\r\n", "Host: x\r\nA: b\r\n folded\r\n",
            "Host: x\r\n: empty name\r\n", "Host: x\r\nContent-Length: 1x\r\n", "Host: x\r\nContent-Length:\r\n",
            "Accept: */*\r\n"}) {
            expect("GET / HTTP/1.1\r\n" + headers + "\r\n" + GET, BAD_REQUEST, true);
        }
    }

    @Test
    void shouldRefuseConflictingContentLengthsAndAcceptIdenticalOnes() {
        // Catches: the last (or first) Content-Length silently winning, which lets two parsers disagree on
        // where the body ends (request smuggling).
        for (final String lengths : new String[] {
            "Content-Length: 5\r\nContent-Length: 6\r\n", "Content-Length: 0\r\nContent-Length: 1\r\n",
            "Content-Length: 1\r\nX: y\r\nContent-Length: 10\r\n", "Content-Length: 5, 5\r\n",
            "Content-Length: 05\r\nContent-Length: 50\r\n", "Content-Length: 0\r\ncontent-length: 00\r\n"
                + "Content-Length: 7\r\n"}) {
            expect("POST / HTTP/1.1\r\nHost: x\r\n" + lengths + "\r\nhello!", BAD_REQUEST, true);
        }
        // RFC 9112 section 6.3 lets identical duplicates through; leading zeros do not make a value different.
        expect("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nCONTENT-LENGTH: 000\r\n\r\n" + GET,
            notAllowed("") + ok(""), false);
        expect("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 005\r\n\r\nhello",
            notAllowed("close"), true);
    }

    @Test
    void shouldRefuseControlCharactersInHeaderValues() {
        // Catches: a NUL or a bare CR passed on to whatever reads the field next (RFC 9110 section 5.5).
        for (final String header : new String[] {
            "X: a\u0000b\r\n", "X: a\rb\r\n", "X: a\r\r\n", "X: \u0001\r\n", "X: a\u001bb\r\n", "X: a\u007f\r\n",
            "Host: x\u0000\r\n", "X: \r \r\n", "X:\u0000\r\n"}) {
            expect("GET / HTTP/1.1\r\nHost: x\r\n" + header + "\r\n" + GET, BAD_REQUEST, true);
        }
        // Tab is allowed inside a value, and so are bytes above 0x7F (obs-text).
        expect("GET / HTTP/1.1\r\nHost: x\r\nX: a\tb\r\nY: caf\u00e9\r\n\r\n" + GET, ok("") + ok(""), false);
    }

    @Test
    void shouldSkipAtMostFourEmptyLinesBeforeARequest() {
        final int most = HttpSession.MAX_LEADING_LINE_BREAK_BYTES;
        assertEquals(8, most, "the documented limit");
        expect("\r\n".repeat(4) + GET + "\r\n".repeat(4) + GET, ok("") + ok(""), false);
        expect("\n".repeat(8) + GET, ok(""), false);
        // Catches: unlimited skipping, which keeps a connection open on a stream of line breaks.
        expect("\r\n".repeat(4) + "\n" + GET, BAD_REQUEST, true);
        expect("\r".repeat(9), BAD_REQUEST, true);
        expect(GET + "\r\n".repeat(5) + GET, ok("") + BAD_REQUEST, true);
        // The count starts again after each request, and after a head ending in a bare LF pair.
        expect("GET / HTTP/1.1\nHost: x\n\n" + "\r\n".repeat(4) + GET, ok("") + ok(""), false);
    }

    @Test
    void shouldAnswerHeadsBeyondTheLimitWith431AndClose() {
        final int maxHeaderBytes = 128;
        final String prefix = "GET / HTTP/1.1\r\nHost: x\r\nX: ";
        final String exactly = prefix + "v".repeat(128 - prefix.length() - 4) + "\r\n\r\n";
        assertEquals(128, exactly.length());
        expect(maxHeaderBytes, exactly + GET, ok("") + ok(""), false);
        final String oneMore = prefix + "v".repeat(128 - prefix.length() - 3) + "\r\n\r\n";
        expect(maxHeaderBytes, oneMore, TOO_LARGE, true);
        expect(maxHeaderBytes, "GET /" + "a".repeat(200), TOO_LARGE, true);
    }

    @Test
    void shouldKeepDecodedRequestsWhileTheResponseDoesNotFit() {
        final Session session = new HttpProtocol(HttpProtocol.DEFAULT_MAX_HEADER_BYTES, HttpProtocol.SERVER_NAME,
            new HttpDate(EXAMPLE_MILLIS))
            .newSession(null);
        final RecordingOutbound out = new RecordingOutbound(ok("").length() + 10);
        final ByteRing ring = ByteRing.allocate(1024);
        final byte[] input = ascii(GET + GET + GET);
        ring.write(new UnsafeBuffer(input), 0, input.length);
        for (int i = 0; i < 3; i++) {
            assertEquals(1, session.onData(ring, out));
            assertEquals(ok(""), Feeder.text(out.drain()));
            assertEquals(GET.length() * (2 - i), ring.readableBytes());
        }
        assertEquals(0, session.onData(ring, out));
        assertFalse(out.closingAfterFlush());
    }

    @Test
    void shouldCloseAbruptlyWhenEvenTheErrorResponseCannotFit() {
        final Feeder.Subject tight = new Feeder.Subject(new HttpProtocol(
            HttpProtocol.DEFAULT_MAX_HEADER_BYTES).newSession(null),
            new RecordingOutbound(10));
        final Feeder.Result result = Feeder.feed(tight, ascii("nonsense\r\n"), new int[] {10}, 0);
        assertEquals(CloseReason.PROTOCOL_ERROR, result.closedWith());
    }

    @Test
    void shouldFormatDatesExactlyAsImfFixdate() {
        final DateTimeFormatter reference =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[HttpDate.LENGTH]);
        final long[] edges = {0, 784_111_777, 951_782_400, 951_868_799, 4_107_542_400L, 253_402_300_799L,
            1_709_164_800, -1, 68_256_000};
        for (final long second : edges) {
            HttpDate.format(second, buffer, 0);
            assertEquals(reference.format(Instant.ofEpochSecond(second)), buffer.getStringWithoutLengthAscii(0, 29));
        }
        final SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 100_000; i++) {
            final long second = random.nextLong(0, 253_402_300_800L);
            HttpDate.format(second, buffer, 0);
            assertEquals(reference.format(Instant.ofEpochSecond(second)), buffer.getStringWithoutLengthAscii(0, 29));
        }
    }

    @Test
    void shouldShowTheNewSecondOnlyAfterTheClockTicks() {
        final HttpDate date = new HttpDate(EXAMPLE_MILLIS);
        final HttpResponses responses = new HttpResponses("ringside", date);
        final int kind = HttpResponses.kind(HttpResponses.OK_GET, HttpResponses.CONNECTION_DEFAULT);
        assertTrue(Feeder.text(responses.bytes(kind)).contains("Date: " + EXAMPLE_DATE + "\r\n"));
        assertEquals(1000 - 250, date.onTick(EXAMPLE_MILLIS + 1250));
        assertTrue(Feeder.text(responses.bytes(kind)).contains("Date: Sun, 06 Nov 1994 08:49:38 GMT\r\n"));
        assertEquals(784_111_778L, date.epochSecond());
    }

    @Test
    void shouldUseTheConfiguredServerName() {
        final HttpResponses responses = new HttpResponses("bench/1.0", new HttpDate(EXAMPLE_MILLIS));
        assertTrue(Feeder.text(responses.bytes(0)).contains("\r\nServer: bench/1.0\r\n"));
    }
}
