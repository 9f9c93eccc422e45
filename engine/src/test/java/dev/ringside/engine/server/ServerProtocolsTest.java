package dev.ringside.engine.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

import dev.ringside.engine.protocol.ProtocolOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The server command's protocol flags and the server's wiring of protocols (timers, loop limits). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ServerProtocolsTest {
    private static final PrintStream NOWHERE = new PrintStream(new ByteArrayOutputStream(), true,
        StandardCharsets.UTF_8);

    private static ServerSettings parse(final String... args) {
        final ServerCommand command = new ServerCommand();
        CommandLauncher.commandLine(command).parseArgs(args);
        return command.settings(NOWHERE);
    }

    @Test
    void shouldTurnProtocolFlagsIntoOptions() {
        final ProtocolOptions chat = parse("--protocol", "chat", "--max-line", "100", "--echo-self").protocolOptions();
        assertEquals(100, chat.maxLineBytes());
        assertTrue(chat.echoSelf());
        final ProtocolOptions rr = parse("--protocol", "rr", "--response-size", "1k", "--ring-capacity", "16k")
            .protocolOptions();
        assertEquals(1024, rr.responseSizeBytes());
        assertEquals(16 * 1024, rr.maxFrameBytes());
        assertEquals(ProtocolOptions.SAME_AS_REQUEST, parse("--protocol", "rr").protocolOptions().responseSizeBytes());
        assertEquals(2048, parse("--protocol", "http", "--max-header", "2k").protocolOptions().maxHeaderBytes());
        assertEquals(ProtocolOptions.DEFAULT_MAX_LINE_BYTES, parse("--protocol", "chat").protocolOptions()
            .maxLineBytes());
    }

    @Test
    void shouldRefuseFlagsThatCannotWork() {
        assertThrows(IllegalArgumentException.class, () -> parse("--protocol", "echo", "--echo-self"));
        assertThrows(IllegalArgumentException.class, () -> parse("--protocol", "http", "--response-size", "10"));
        assertThrows(IllegalArgumentException.class,
            () -> parse("--protocol", "rr", "--response-size", "64k", "--ring-capacity", "64k"));
        assertThrows(IllegalArgumentException.class,
            () -> parse("--protocol", "chat", "--max-line", "64k", "--ring-capacity", "64k"));
        assertThrows(IllegalArgumentException.class, () -> parse("--protocol", "chat", "--max-line", "0"));
        assertThrows(IllegalArgumentException.class, () -> parse("--protocol", "http", "--max-header", "10"));
        assertThrows(IllegalArgumentException.class, () -> parse("--protocol", "echo", "--max-line", "10"));
        assertThrows(IllegalArgumentException.class, () -> parse("--protocol", "rr", "--max-header", "1k"));
        assertThrows(IllegalArgumentException.class, () -> parse("--protocol", "chat", "--ring-capacity", "4k"),
            "the default 4k line does not fit a 4k ring with its newline");
    }

    @Test
    void shouldNotApplyOneProtocolsLimitsToAnother() {
        // Small rings are fine for echo even though chat's and http's default limits would not fit them.
        assertEquals(4096, parse("--protocol", "echo", "--ring-capacity", "4k").protocolOptions().maxFrameBytes());
        assertEquals(1024, parse("--protocol", "sockperf", "--ring-capacity", "1k").protocolOptions()
            .maxFrameBytes());
    }

    @Test
    void shouldRefuseChatOnSeveralLoopsAndChatOrHttpOverUdp() {
        final IllegalArgumentException loops = assertThrows(IllegalArgumentException.class,
            () -> new Server(parse("--protocol", "chat", "--loops", "2", "--tcp", "127.0.0.1:0",
                "--no-counters-file"), NOWHERE));
        assertTrue(loops.getMessage().contains("--loops"), loops.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Server(
            parse("--protocol", "http", "--udp", "127.0.0.1:0", "--no-counters-file"), NOWHERE));
        assertThrows(IllegalArgumentException.class, () -> new Server(
            parse("--protocol", "chat", "--udp", "127.0.0.1:0", "--no-counters-file"), NOWHERE));
    }

    @Test
    void shouldServeHttpWithTodaysDateFromTheServersTimer() throws Exception {
        final Server server = new Server(parse("--protocol", "http", "--tcp", "127.0.0.1:0", "--no-counters-file",
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
        for (final String name : dev.ringside.engine.protocol.ProtocolFactory.NAMES) {
            final Server server = new Server(parse("--protocol", name, "--tcp", "127.0.0.1:0", "--no-counters-file"),
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
