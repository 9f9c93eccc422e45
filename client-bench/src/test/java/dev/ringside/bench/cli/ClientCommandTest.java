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
import dev.ringside.bench.command.CommandLauncher;
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
        assertEquals(1, message.lines().count(), message);
    }

    @Test
    void shouldSayNothingOnConnectWhenPipedAndKeepStdoutByteExact() {
        try (LoopHarness harness = new LoopHarness(LoopHarness.smallConfig())) {
            final InetSocketAddress address = harness.listenTcp(new EchoProtocol());
            harness.startThread();
            final String input = "caf\u00e9 \t bytes\r\n\u0000\u00ff\n";
            assertEquals(0, runClient(input, target(address)));
            // Catches a banner or notice written to stdout, or any notice at all on a clean piped run.
            assertEquals(input, printed.toString(StandardCharsets.ISO_8859_1));
            assertEquals("", notices.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void shouldSayWhereItIsConnectedAndHowToQuitWhenInteractive() {
        try (LoopHarness harness = new LoopHarness(LoopHarness.smallConfig())) {
            final InetSocketAddress tcp = harness.listenTcp(new EchoProtocol());
            final InetSocketAddress udp = harness.listenUdp(new EchoProtocol());
            harness.startThread();
            assertEquals(0, runInteractive("hi\n", target(tcp)));
            assertEquals("hi\n", printed.toString(StandardCharsets.ISO_8859_1), "the banner is not on stdout");
            assertEquals("connected to " + target(tcp) + " (tcp); type lines, Ctrl-X then Enter or Ctrl-D to quit\n",
                notices.toString(StandardCharsets.UTF_8));
            notices.reset();
            assertEquals(0, runInteractive("hi\n", target(udp), "--udp", "--linger", "3s"));
            assertEquals("connected to " + target(udp) + " (udp); type lines, Ctrl-X then Enter or Ctrl-D to quit\n",
                notices.toString(StandardCharsets.UTF_8));
        }
    }

    /**
     * Runs a client against a one-shot server while the client's stdin stays open and idle, so only the socket
     * can end it.
     *
     * @param serverSide what the server does with the accepted socket before closing it
     * @return the client's exit status
     */
    private int runAgainstOneShotServer(final SocketAction serverSide) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            final BlockingInput input = new BlockingInput("", "");
            final int[] status = new int[1];
            final Thread client = new Thread(() -> status[0] = runClient(input, "127.0.0.1:" + server.getLocalPort()));
            client.start();
            try (Socket accepted = server.accept()) {
                serverSide.accept(accepted);
            }
            client.join(20_000);
            input.release();
            assertTrue(!client.isAlive(), "the server's end ended the client");
            return status[0];
        }
    }

    /** What a one-shot server does with its connection. */
    private interface SocketAction {
        void accept(Socket socket) throws IOException;
    }

    @Test
    void shouldSayTheServerClosedTheConnectionAndExitZero() throws Exception {
        final int status = runAgainstOneShotServer(
            accepted -> accepted.getOutputStream().write("bye\n".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(0, status);
        assertEquals("bye\n", printed.toString(StandardCharsets.ISO_8859_1));
        assertEquals("server closed the connection\n", notices.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldExitOneWithOneLineWhenTheServerResetsTheConnection() throws Exception {
        // SO_LINGER 0: close with RST, as a crashed or killed server's kernel does.
        final int status = runAgainstOneShotServer(accepted -> accepted.setSoLinger(true, 0));
        // Catches a reset treated as an orderly close (exit 0), or the exception text printed beside it.
        assertEquals(CommandLauncher.EXIT_FAILURE, status);
        assertEquals("ringside client: connection reset by the server\n", notices.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldTellTerminalDevicesFromPipesAndFiles() {
        assertTrue(StandardInput.isTerminalDevice("/dev/pts/3"));
        assertTrue(StandardInput.isTerminalDevice("/dev/tty1"));
        assertTrue(!StandardInput.isTerminalDevice("pipe:[52371]"));
        assertTrue(!StandardInput.isTerminalDevice("/dev/null"));
        assertTrue(!StandardInput.isTerminalDevice("/home/student/lines.txt"));
        assertTrue(!StandardInput.isTerminal(), "surefire gives the test JVM a pipe, not a terminal");
    }

    private int runInteractive(final String input, final String... args) {
        final ClientCommand command = new ClientCommand(
            new ByteArrayInputStream(input.getBytes(StandardCharsets.ISO_8859_1)),
            new PrintStream(printed, true, StandardCharsets.ISO_8859_1),
            new PrintStream(notices, true, StandardCharsets.UTF_8), true);
        return CommandLauncher.commandLine(command).execute(args);
    }

    private int runClient(final InputStream input, final String... args) {
        final ClientCommand command = new ClientCommand(input,
            new PrintStream(printed, true, StandardCharsets.ISO_8859_1),
            new PrintStream(notices, true, StandardCharsets.UTF_8));
        final var commandLine = CommandLauncher.commandLine(command);
        commandLine.setErr(new java.io.PrintWriter(notices, true, StandardCharsets.UTF_8));
        return commandLine.execute(args);
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
