package dev.ringside.bench.server;

import static dev.ringside.bench.server.ServerArgs.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import dev.ringside.engine.protocol.OptionValues;
import dev.ringside.engine.protocol.chat.Chat;
import dev.ringside.engine.protocol.http.Http;
import dev.ringside.engine.protocol.rr.Rr;
import dev.ringside.engine.protocols.Protocols;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import dev.ringside.engine.server.Server;

/** The server command's protocol flags and the server's wiring of protocols (timers, loop limits). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ServerProtocolsTest {
    private static final PrintStream NOWHERE = new PrintStream(new ByteArrayOutputStream(), true,
        StandardCharsets.UTF_8);

    @Test
    void shouldTurnProtocolFlagsIntoOptions() {
        final OptionValues chat = settings("--protocol", "chat", "--max-line", "100", "--echo-self").protocolOptions();
        assertEquals(100, chat.get(Chat.MAX_LINE));
        assertTrue(chat.get(Chat.ECHO_SELF));
        final OptionValues rr = settings("--protocol", "rr", "--response-size", "1k", "--ring-capacity", "16k")
            .protocolOptions();
        assertEquals(1024, rr.get(Rr.RESPONSE_SIZE));
        assertFalse(settings("--protocol", "rr").protocolOptions().isSet(Rr.RESPONSE_SIZE), "echo the request frame");
        assertEquals(2048, settings("--protocol", "http", "--max-header", "2k").protocolOptions().get(Http.MAX_HEADER));
        assertEquals(Chat.DEFAULT_MAX_LINE_BYTES, settings("--protocol", "chat").protocolOptions().get(Chat.MAX_LINE));
        assertFalse(settings("--protocol", "chat").protocolOptions().get(Chat.ECHO_SELF));
    }

    @Test
    void shouldRefuseFlagsThatCannotWork() {
        assertThrows(IllegalArgumentException.class, () -> settings("--protocol", "echo", "--echo-self"));
        assertThrows(IllegalArgumentException.class, () -> settings("--protocol", "http", "--response-size", "10"));
        assertThrows(IllegalArgumentException.class,
            () -> settings("--protocol", "rr", "--response-size", "64k", "--ring-capacity", "64k").newProtocol());
        assertThrows(IllegalArgumentException.class,
            () -> settings("--protocol", "chat", "--max-line", "64k", "--ring-capacity", "64k").newProtocol());
        assertThrows(IllegalArgumentException.class, () -> settings("--protocol", "chat", "--max-line", "0"));
        assertThrows(IllegalArgumentException.class, () -> settings("--protocol", "http", "--max-header", "10"));
        assertThrows(IllegalArgumentException.class, () -> settings("--protocol", "echo", "--max-line", "10"));
        assertThrows(IllegalArgumentException.class, () -> settings("--protocol", "rr", "--max-header", "1k"));
        assertThrows(IllegalArgumentException.class,
            () -> settings("--protocol", "chat", "--ring-capacity", "4k").newProtocol(),
            "the default 4k line does not fit a 4k ring with its newline");
        final IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
            () -> settings("--protocol", "rr", "--max-line", "1k"));
        assertEquals("--max-line goes with --protocol chat, not rr", other.getMessage());
    }

    @Test
    void shouldNotApplyOneProtocolsLimitsToAnother() {
        // Small rings are fine for echo and sockperf even though chat's and http's default limits would not fit.
        assertEquals("echo", settings("--protocol", "echo", "--ring-capacity", "4k").newProtocol().name());
        assertEquals("sockperf", settings("--protocol", "sockperf", "--ring-capacity", "1k").newProtocol().name());
    }

    @Test
    void shouldRefuseChatOnSeveralLoopsAndChatOrHttpOverUdp() {
        final IllegalArgumentException loops = assertThrows(IllegalArgumentException.class,
            () -> new Server(settings("--protocol", "chat", "--loops", "2", "--tcp", "127.0.0.1:0",
                "--no-counters-file"), NOWHERE));
        assertTrue(loops.getMessage().contains("--loops"), loops.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Server(
            settings("--protocol", "http", "--udp", "127.0.0.1:0", "--no-counters-file"), NOWHERE));
        assertThrows(IllegalArgumentException.class, () -> new Server(
            settings("--protocol", "chat", "--udp", "127.0.0.1:0", "--no-counters-file"), NOWHERE));
    }

    @Test
    void shouldServeHttpWithTodaysDateFromTheServersTimer() throws Exception {
        final Server server = new Server(settings("--protocol", "http", "--tcp", "127.0.0.1:0", "--no-counters-file",
            "--loops", "2"), NOWHERE);
        try {
            assertEquals("http", server.protocol().name());
            server.start();
            final InetSocketAddress address = server.tcpAddresses().get(0);
            final String before = imfDate(ZonedDateTime.now(ZoneOffset.UTC).minusSeconds(2));
            final String response = get(address);
            final String after = imfDate(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(2));
            assertTrue(response.startsWith("HTTP/1.1 200 OK\r\n"), response);
            assertTrue(response.endsWith("\r\n\r\nHello, World!"), response);
            final int date = response.indexOf("Date: ") + 6;
            final String shown = response.substring(date, date + 29);
            final ZonedDateTime parsed = ZonedDateTime.parse(shown, DateTimeFormatter.RFC_1123_DATE_TIME);
            assertTrue(!parsed.isBefore(ZonedDateTime.parse(before, DateTimeFormatter.RFC_1123_DATE_TIME))
                && !parsed.isAfter(ZonedDateTime.parse(after, DateTimeFormatter.RFC_1123_DATE_TIME)),
                shown + " not within 2 s of now");
        } finally {
            server.shutdown(TimeUnit.MILLISECONDS.toNanos(100));
            server.close();
        }
    }

    @Test
    void shouldAcceptEveryListedProtocol() throws Exception {
        for (final String name : Protocols.names(Protocols.servable()).split(", ")) {
            final Server server = new Server(settings("--protocol", name, "--tcp", "127.0.0.1:0", "--no-counters-file"),
                NOWHERE);
            try {
                assertEquals(name, server.protocol().name());
                assertEquals("http".equals(name), server.protocol().timer() != null, "only http needs a timer");
            } finally {
                server.close();
            }
        }
    }

    private static String imfDate(final ZonedDateTime time) {
        return DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).format(time);
    }

    private static String get(final InetSocketAddress address) throws IOException {
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(
                "GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            final InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }
}
