package dev.ringside.engine.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Reads Linux's socket tables to see which family a socket got. Linux lists {@code AF_INET} sockets in
 * {@code /proc/net/tcp} and {@code AF_INET6} ones (dual-stack sockets carrying IPv4 too) in {@code /proc/net/tcp6}.
 */
public final class ProcNetTcp {
    /** The table of {@code AF_INET} TCP sockets. */
    public static final Path TCP4 = Path.of("/proc/net/tcp");
    /** The table of {@code AF_INET6} TCP sockets. */
    public static final Path TCP6 = Path.of("/proc/net/tcp6");

    private ProcNetTcp() {
    }

    /** @return whether both tables can be read (Linux) */
    public static boolean readable() {
        return Files.isReadable(TCP4) && Files.isReadable(TCP6);
    }

    /**
     * The sockets of one loopback connection and its listener, counted in one table: the listener on {@code port}
     * (LISTEN, state 0A) and the two ends of the connection between {@code port} and {@code peerPort} (ESTABLISHED,
     * 01), at 127.0.0.1 or [::1] — in tcp6 also the v4-mapped form of 127.0.0.1, which is how a dual-stack socket
     * shows it. Matching the whole connection, not just the port: a generator that binds explicit source ports with
     * {@code SO_REUSEADDR} may hold the same port number on its own connections while a test listens on it (a
     * benchmark running beside a full build put 15 and 3 such sockets on the family tests' ports, and both failed).
     *
     * @param table    {@link #TCP4} or {@link #TCP6}
     * @param port     the listener's port
     * @param peerPort the connected client's own (source) port
     * @return how many of the table's sockets are that listener or an end of that connection (3 when all are there)
     * @throws IOException when the table cannot be read
     */
    public static long connectionSockets(final Path table, final int port, final int peerPort) throws IOException {
        final List<String> listener = ends(port);
        final List<String> peer = ends(peerPort);
        return Files.readAllLines(table).stream().skip(1).map(String::trim).map(line -> line.split("\\s+"))
            .filter(fields -> fields.length > 3)
            .filter(fields -> "0A".equals(fields[3]) && listener.contains(fields[1])
                || "01".equals(fields[3]) && (listener.contains(fields[1]) && peer.contains(fields[2])
                    || peer.contains(fields[1]) && listener.contains(fields[2])))
            .count();
    }

    /**
     * The port as one end of a loopback socket, in the table's hex: 127.0.0.1, [::1] and v4-mapped 127.0.0.1.
     *
     * @param port the port
     * @return the three forms the tables may show
     */
    private static List<String> ends(final int port) {
        final String hexPort = ":" + String.format(Locale.ROOT, "%04X", port);
        return List.of("0100007F" + hexPort, "00000000000000000000000001000000" + hexPort,
            "0000000000000000FFFF00000100007F" + hexPort);
    }
}
