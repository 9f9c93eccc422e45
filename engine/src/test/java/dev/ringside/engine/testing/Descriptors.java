package dev.ringside.engine.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Counts this process's open file descriptors (Linux), so a test can tell that a failure path closed the socket it
 * opened: repeat the failure N times and the count must not grow by N.
 */
public final class Descriptors {
    private static final Path FD_DIR = Path.of("/proc/self/fd");

    private Descriptors() {
    }

    /**
     * @return open descriptors now (one more for the directory being listed)
     * @throws IOException when {@code /proc/self/fd} cannot be listed
     */
    public static long open() throws IOException {
        try (Stream<Path> fds = Files.list(FD_DIR)) {
            return fds.count();
        }
    }
}
