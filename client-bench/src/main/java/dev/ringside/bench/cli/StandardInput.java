package dev.ringside.bench.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether this process's standard input is a terminal: the one decision that separates a person typing from
 * a script piping. {@link System#console()} cannot answer it on JDK 17, because it is null as soon as
 * <em>either</em> stdin or stdout is redirected ({@code ringside client ... | tee log} is still typed by a
 * person). On Linux the answer is where file descriptor 0 points: a terminal device. Elsewhere the console
 * is the best guess there is.
 */
final class StandardInput {
    private static final Path STDIN_LINK = Path.of("/proc/self/fd/0");

    private StandardInput() {
    }

    /** @return whether this process's standard input is a terminal */
    static boolean isTerminal() {
        try {
            return isTerminalDevice(Files.readSymbolicLink(STDIN_LINK).toString());
        } catch (final IOException | UnsupportedOperationException ex) {
            return System.console() != null; // no /proc: stdin and stdout both on a terminal, or neither known
        }
    }

    /**
     * @param device what a file descriptor points at, e.g. {@code /dev/pts/3}, {@code pipe:[123]}, a file
     * @return whether it is a terminal: a pseudo-terminal, a virtual console or the controlling tty
     */
    static boolean isTerminalDevice(final String device) {
        return device.startsWith("/dev/pts/") || device.startsWith("/dev/tty") || device.equals("/dev/console");
    }
}
