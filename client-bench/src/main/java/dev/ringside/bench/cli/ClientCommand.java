package dev.ringside.bench.cli;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.ringside.engine.config.Units;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ringside client HOST:PORT [--udp]}: the classic line-typing client. Each line read from standard
 * input is sent (over UDP, one datagram per line); whatever the server sends is printed as it arrives. A
 * line holding only Ctrl-X ({@code \x18}) ends the session at once; end of input sends what is left, then
 * waits up to the linger time for the server's last words (over TCP, until the server closes). Works typed
 * or piped, so two terminals, or a script, can talk through the chat server.
 *
 * <p>Typed or piped: when standard input is a terminal ({@link StandardInput}) a person is at the keyboard,
 * so the client says where it is connected and how to quit, on stderr, before the first line — as the classic
 * client does. Piped, it says nothing on connect: stdout carries exactly the server's bytes. Either way the end
 * is one line on stderr when it is not the user's doing: {@code server closed the connection} (exit 0), or a
 * reset or failed connection (exit 1).
 *
 * <p>Blocking sockets: one thread reads standard input, one reads the socket, and the command's thread
 * reacts to whichever speaks first, so a server that hangs up ends the client even while stdin is idle.
 */
@Command(name = "client", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Send lines typed (or piped) on stdin to a server and print what comes back.",
        "A line holding only Ctrl-X (then Enter), or end of input, ends it.",
        "Example: ringside server --protocol chat & ringside client 127.0.0.1:5000"
    })
public class ClientCommand implements Callable<Integer> {
    /** Ends the session when alone on a line. */
    static final byte CTRL_X = 0x18;
    private static final int MAX_DATAGRAM_BYTES = 65_507;
    private static final int CONNECT_TIMEOUT_MS = 10_000;
    /** Events from the two reader threads; identity-compared sentinels mark the ends. */
    private static final byte[] END_OF_INPUT = new byte[0];
    private static final byte[] STOP = new byte[0];
    private static final byte[] SERVER_CLOSED = new byte[0];
    private static final byte[] CONNECTION_LOST = new byte[0];

    @Parameters(index = "0", paramLabel = "HOST:PORT", description = "the server, e.g. 127.0.0.1:5000")
    String target;

    @Option(names = "--udp", description = "send each line as one datagram instead of over TCP")
    boolean udp;

    @Option(names = "--linger", defaultValue = "1s", paramLabel = "DURATION",
        description = "after end of input, how long to wait for replies (default: ${DEFAULT-VALUE})")
    String linger;

    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    private final boolean interactive;
    private final BlockingQueue<byte[]> events = new LinkedBlockingQueue<>();
    /** Why the socket reader stopped, when it was not an orderly end of stream; set before CONNECTION_LOST. */
    private volatile String lostBecause;

    /** A client on the process's standard streams, interactive when stdin is a terminal. */
    public ClientCommand() {
        this(System.in, System.out, System.err, StandardInput.isTerminal());
    }

    /**
     * A client on given streams (tests pipe input and capture output).
     *
     * @param in  lines to send
     * @param out where received bytes are printed
     * @param err where notices go
     */
    public ClientCommand(final InputStream in, final PrintStream out, final PrintStream err) {
        this(in, out, err, false);
    }

    /**
     * A client on given streams.
     *
     * @param in          lines to send
     * @param out         where received bytes are printed
     * @param err         where notices go
     * @param interactive whether a person types the input (then the client says how to quit on connecting)
     */
    public ClientCommand(final InputStream in, final PrintStream out, final PrintStream err,
                         final boolean interactive) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.interactive = interactive;
    }

    /**
     * The line an interactive client prints on connecting.
     *
     * @param address   the server
     * @param transport {@code tcp} or {@code udp}
     * @return the banner, without newline
     */
    static String banner(final InetSocketAddress address, final String transport) {
        return "connected to " + Units.format(address) + " (" + transport
            + "); type lines, Ctrl-X then Enter or Ctrl-D to quit";
    }

    @Override
    public Integer call() throws Exception {
        final InetSocketAddress address = Units.parseAddress(target);
        final long lingerMs = TimeUnit.NANOSECONDS.toMillis(Units.parseDurationNs(linger));
        return udp ? runUdp(address, lingerMs) : runTcp(address, lingerMs);
    }

    private int runTcp(final InetSocketAddress address, final long lingerMs) throws IOException, InterruptedException {
        try (Socket socket = new Socket()) {
            try {
                socket.connect(address, CONNECT_TIMEOUT_MS);
                socket.setTcpNoDelay(true);
            } catch (final ConnectException ex) {
                throw new IOException("cannot connect to " + Units.format(address) + ": " + ex.getMessage()
                    + " (is the server running?)", ex);
            } catch (final SocketException ex) {
                // A server that resets right after accepting: connect's final check (SO_ERROR) or the option
                // call is the first to hear of it.
                err.println("ringside client: " + lostBecause(ex));
                return 1;
            }
            if (interactive) {
                err.println(banner(address, "tcp"));
            }
            final InputStream fromServer = socket.getInputStream();
            final Thread reader = daemon("ringside-client-socket", () -> {
                final byte[] buffer = new byte[8192];
                try {
                    for (int n = fromServer.read(buffer); n >= 0; n = fromServer.read(buffer)) {
                        print(buffer, n);
                    }
                } catch (final IOException ex) {
                    if (!socket.isClosed()) {
                        lostBecause = lostBecause(ex);
                        events.add(CONNECTION_LOST);
                        return;
                    }
                }
                events.add(SERVER_CLOSED);
            });
            startInputReader();
            while (true) {
                final byte[] event = events.take();
                if (event == SERVER_CLOSED) {
                    err.println("server closed the connection");
                    return 0;
                }
                if (event == CONNECTION_LOST) {
                    err.println("ringside client: " + lostBecause);
                    return 1;
                }
                if (event == STOP) {
                    return 0;
                }
                if (event == END_OF_INPUT) {
                    // Half-close: the server sees our end and can still answer what it received.
                    socket.shutdownOutput();
                    reader.join(lingerMs);
                    if (lostBecause != null) {
                        err.println("ringside client: " + lostBecause);
                        return 1;
                    }
                    return 0;
                }
                try {
                    socket.getOutputStream().write(event);
                } catch (final SocketException ex) {
                    reader.join(lingerMs);
                    err.println("ringside client: " + (lostBecause != null ? lostBecause
                        : "cannot send: " + ex.getMessage()));
                    return 1;
                }
            }
        }
    }

    private int runUdp(final InetSocketAddress address, final long lingerMs) throws IOException, InterruptedException {
        try (DatagramChannel channel = DatagramChannel.open()) {
            channel.connect(address);
            if (interactive) {
                err.println(banner(address, "udp"));
            }
            daemon("ringside-client-socket", () -> {
                final ByteBuffer buffer = ByteBuffer.allocate(MAX_DATAGRAM_BYTES);
                try {
                    while (true) {
                        buffer.clear();
                        channel.read(buffer);
                        print(buffer.array(), buffer.position());
                    }
                } catch (final PortUnreachableException ex) {
                    err.println("ringside client: nothing listens on udp " + Units.format(address)
                        + " (port unreachable)");
                    events.add(SERVER_CLOSED);
                } catch (final AsynchronousCloseException ex) {
                    return; // the command ended and closed the socket
                } catch (final IOException ex) {
                    err.println("ringside client: " + ex.getMessage());
                    events.add(SERVER_CLOSED);
                }
            });
            startInputReader();
            while (true) {
                final byte[] event = events.take();
                if (event == SERVER_CLOSED) {
                    return 1;
                }
                if (event == STOP) {
                    return 0;
                }
                if (event == END_OF_INPUT) {
                    // No end-of-stream in UDP: replies may still be on their way; wait for them a while.
                    final byte[] late = events.poll(lingerMs, TimeUnit.MILLISECONDS);
                    return late == SERVER_CLOSED ? 1 : 0;
                }
                if (event.length > MAX_DATAGRAM_BYTES) {
                    err.println("ringside client: line of " + event.length + " bytes does not fit a datagram; skipped");
                    continue;
                }
                try {
                    channel.write(ByteBuffer.wrap(event));
                } catch (final PortUnreachableException ex) {
                    err.println("ringside client: nothing listens on udp " + Units.format(address)
                        + " (port unreachable)");
                    return 1;
                }
            }
        }
    }

    /** @return one line saying how the connection was lost */
    private static String lostBecause(final IOException ex) {
        final String message = ex.getMessage();
        if (message != null && message.toLowerCase(java.util.Locale.ROOT).contains("reset")) {
            return "connection reset by the server";
        }
        return "connection lost: " + message;
    }

    /** Reads stdin line by line on its own thread, so a server hanging up is noticed while stdin is idle. */
    private void startInputReader() {
        daemon("ringside-client-stdin", () -> {
            final InputStream input = new BufferedInputStream(in);
            final ByteArrayOutputStream line = new ByteArrayOutputStream();
            try {
                for (int b = input.read(); b >= 0; b = input.read()) {
                    line.write(b);
                    if (b == '\n') {
                        if (!offerLine(line)) {
                            return;
                        }
                    }
                }
                if (line.size() > 0) {
                    line.write('\n'); // the last line had no newline: send it as a line anyway
                    if (!offerLine(line)) {
                        return;
                    }
                }
            } catch (final IOException ex) {
                err.println("ringside client: cannot read input: " + ex.getMessage());
            }
            events.add(END_OF_INPUT);
        });
    }

    /** @return false when the line was Ctrl-X: input ends here */
    private boolean offerLine(final ByteArrayOutputStream line) {
        final byte[] bytes = line.toByteArray();
        line.reset();
        int end = bytes.length - 1; // drop the newline, and a CR before it, to compare
        if (end > 0 && bytes[end - 1] == '\r') {
            end--;
        }
        if (end == 1 && bytes[0] == CTRL_X) {
            events.add(STOP);
            return false;
        }
        events.add(bytes);
        return true;
    }

    private void print(final byte[] bytes, final int length) {
        synchronized (out) {
            out.write(bytes, 0, length);
            out.flush();
        }
    }

    private static Thread daemon(final String name, final Runnable body) {
        final Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
