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
     * Live sockets of a table with 127.0.0.1:port or [::1]:port at either end: in tcp6 also the v4-mapped form of
     * 127.0.0.1, which is how a dual-stack socket shows it. Other processes' sockets on the same port number at
     * another address, and TIME_WAIT entries (state 06), are not ours.
     *
     * @param table {@link #TCP4} or {@link #TCP6}
     * @param port  the port
     * @return how many of the table's live sockets use the port at either end
     * @throws IOException when the table cannot be read
     */
    public static long socketsUsingPort(final Path table, final int port) throws IOException {
        final String hexPort = ":" + String.format(Locale.ROOT, "%04X", port);
        final List<String> ends = List.of("0100007F" + hexPort, "00000000000000000000000001000000" + hexPort,
            "0000000000000000FFFF00000100007F" + hexPort);
        final List<String> lines = Files.readAllLines(table);
        return lines.stream().skip(1).map(String::trim).map(line -> line.split("\\s+"))
            .filter(fields -> fields.length > 3 && !"06".equals(fields[3])
                && (ends.contains(fields[1]) || ends.contains(fields[2])))
            .count();
    }
}
