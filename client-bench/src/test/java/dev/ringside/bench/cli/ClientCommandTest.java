package dev.ringside.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import dev.ringside.engine.counter.EngineCounter;
import dev.ringside.engine.protocol.CloseReason;
import dev.ringside.engine.protocol.chat.Chat;
import dev.ringside.engine.protocol.chat.ChatProtocol;
import dev.ringside.engine.protocol.chat.LoopChatRoom;
import dev.ringside.engine.protocol.echo.EchoProtocol;
import dev.ringside.engine.server.CommandLauncher;
import dev.ringside.engine.testing.LoopHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ClientCommandTest {
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final ByteArrayOutputStream notices = new ByteArrayOutputStream();

    private int runClient(final String input, final String... args) {
        final ClientCommand command = new ClientCommand(
            new ByteArrayInputStream(input.getBytes(StandardCharsets.ISO_8859_1)),
            new PrintStream(printed, true, StandardCharsets.ISO_8859_1),
            new PrintStream(notices, true, StandardCharsets.UTF_8));
        final var commandLine = CommandLauncher.commandLine(command);
        commandLine.setErr(new java.io.PrintWriter(notices, true, StandardCharsets.UTF_8));
        return commandLine.execute(args);
    }

    private static String target(final InetSocketAddress address) {
        return "127.0.0.1:" + address.getPort();
    }

    /** Reads from a chat member until it has received {@code expected} bytes. */
    private static String readExactly(final Socket member, final int expected) throws IOException {
        final InputStream in = member.getInputStream();
        final byte[] bytes = in.readNBytes(expected);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    @Test
    void shouldSendPipedLinesToTheOtherChatMembersAndStopAtCtrlX() throws IOException {
        try (LoopHarness harness = new LoopHarness(LoopHarness.smallConfig())) {
            final ChatProtocol chat = new ChatProtocol(new LoopChatRoom(false), Chat.DEFAULT_MAX_LINE_BYTES);
            final InetSocketAddress address = harness.listenTcp(chat);
            harness.startThread();
            try (Socket member = new Socket(address.getAddress(), address.getPort());
                 Socket marker = new Socket(address.getAddress(), address.getPort())) {
                member.setSoTimeout(10_000);
                LoopHarness.await(() -> harness.counters().get(EngineCounter.CONNECTIONS_OPEN) == 2);

                final int status = runClient("hello from a pipe\r\nsecond line\n\u0018\nnever sent\n",
                    target(address));

                assertEquals(0, status, notices.toString(StandardCharsets.UTF_8));
                // Ctrl-X closed the client's connection at once, before stdin ended.
                LoopHarness.await(() -> harness.counters().get(EngineCounter.CONNECTIONS_CLOSED) == 1);
                assertEquals(1, harness.counters().closedBy(CloseReason.PEER_CLOSED));
                // Lines after Ctrl-X would reach the member before the marker sent now: they never came.
                marker.getOutputStream().write("marker\n".getBytes(StandardCharsets.US_ASCII));
                final String expected = "hello from a pipe\r\nsecond line\nmarker\n";
                assertEquals(expected, readExactly(member, expected.length()));
                assertEquals("", printed.toString(StandardCharsets.ISO_8859_1), "nobody wrote to the client");
            }
            LoopHarness.await(() -> harness.counters().get(EngineCounter.CONNECTIONS_OPEN) == 0);
            assertEquals(0, harness.counters().get(EngineCounter.RINGS_LEASED));
            assertEquals(0, harness.counters().get(EngineCounter.HANDLER_ERRORS));
        }
    }

    @Test
    void shouldPrintWhatOtherMembersSayWhileItRuns() throws IOException {
        try (LoopHarness harness = new LoopHarness(LoopHarness.smallConfig())) {
            final InetSocketAddress address =
                harness.listenTcp(new ChatProtocol(new LoopChatRoom(false), Chat.DEFAULT_MAX_LINE_BYTES));
            harness.startThread();
            try (Socket member = new Socket(address.getAddress(), address.getPort())) {
                member.setSoTimeout(10_000);
                LoopHarness.await(() -> harness.counters().get(EngineCounter.CONNECTIONS_OPEN) == 1);
                // The client's input blocks until the member has spoken, so its output must hold the line.
                final BlockingInput input = new BlockingInput("ready\n", "bye\n");
                final Thread clientThread = new Thread(() -> {
                    final ClientCommand command = new ClientCommand(input,
                        new PrintStream(printed, true, StandardCharsets.ISO_8859_1),
                        new PrintStream(notices, true, StandardCharsets.UTF_8));
                    CommandLauncher.run(command, target(address));
                });
                clientThread.start();
                assertEquals("ready\n", readExactly(member, 6));
                member.getOutputStream().write("welcome\n".getBytes(StandardCharsets.US_ASCII));
                LoopHarness.await(() -> printed.toString(StandardCharsets.ISO_8859_1).equals("welcome\n"));
                input.release();
                assertEquals("bye\n", readExactly(member, 4));
                clientThread.join(10_000);
                assertTrue(!clientThread.isAlive(), "end of input ended the client");
            }
            LoopHarness.await(() -> harness.counters().get(EngineCounter.CONNECTIONS_OPEN) == 0);
            assertEquals(0, harness.counters().get(EngineCounter.RINGS_LEASED));
            assertEquals(0, harness.counters().get(EngineCounter.HANDLER_ERRORS));
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void shouldPrintEchoesOfPipedLinesBeforeEndingAtEndOfInput() {
        try (LoopHarness harness = new LoopHarness(LoopHarness.smallConfig())) {
            final InetSocketAddress address = harness.listenTcp(new EchoProtocol());
            harness.startThread();
            assertEquals(0, runClient("one\ntwo\nno newline at the end", target(address)));
            assertEquals("one\ntwo\nno newline at the end\n", printed.toString(StandardCharsets.ISO_8859_1));
            LoopHarness.await(() -> harness.counters().get(EngineCounter.CONNECTIONS_OPEN) == 0);
            assertEquals(1, harness.counters().closedBy(CloseReason.PEER_CLOSED), "a clean half-close, drained");
            assertEquals(0, harness.counters().get(EngineCounter.RINGS_LEASED));
        }
    }

    @Test
    void shouldSendOneDatagramPerLineOverUdp() {
        try (LoopHarness harness = new LoopHarness(LoopHarness.smallConfig())) {
            final InetSocketAddress address = harness.listenUdp(new EchoProtocol());
            harness.startThread();
            assertEquals(0, runClient("alpha\nbeta\n", target(address), "--udp", "--linger", "3s"));
            assertEquals("alpha\nbeta\n", printed.toString(StandardCharsets.ISO_8859_1));
            assertEquals(2, harness.counters().get(EngineCounter.DATAGRAMS_IN));
            assertEquals(2, harness.counters().get(EngineCounter.DATAGRAMS_OUT));
            assertEquals(0, harness.counters().get(EngineCounter.DATAGRAM_ERRORS));
        }
    }

    @Test
    void shouldSayClearlyWhenNothingListens() throws IOException {
        final int port;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        assertEquals(CommandLauncher.EXIT_FAILURE, runClient("x\n", "127.0.0.1:" + port));
        final String message = notices.toString(StandardCharsets.UTF_8);
        assertTrue(message.contains("cannot connect to 127.0.0.1:" + port) && !message.contains("\tat "), message);
    }

    /** Stdin that gives its first line, then blocks until released before giving the rest and ending. */
    private static final class BlockingInput extends InputStream {
        private final byte[] first;
        private final byte[] rest;
        private final java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);
        private int position;

        BlockingInput(final String first, final String rest) {
            this.first = first.getBytes(StandardCharsets.US_ASCII);
            this.rest = rest.getBytes(StandardCharsets.US_ASCII);
        }

        void release() {
            released.countDown();
        }

        @Override
        public int read() throws IOException {
            if (position < first.length) {
                return first[position++];
            }
            try {
                released.await();
            } catch (final InterruptedException ex) {
                throw new IOException(ex);
            }
            final int index = position++ - first.length;
            return index < rest.length ? rest[index] : -1;
        }

        @Override
        public int read(final byte[] buffer, final int offset, final int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            final int b = read();
            if (b < 0) {
                return -1;
            }
            buffer[offset] = (byte) b;
            return 1;
        }
    }
}
