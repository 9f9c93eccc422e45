package dev.ringside.engine.server;

import java.io.File;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where server processes publish their counters: one file per process, named by its pid, in a directory
 * under the system temporary directory (or {@code RINGSIDE_COUNTERS_DIR}). The directory is private to its
 * user ({@link dev.ringside.engine.counter.PrivateDirectory}).
 */
public final class CountersLocation {
    private static final String SUFFIX = ".counters";
    private static final String WORKERS_SUFFIX = ".workers";
    /**
     * Linux reports a process's start time from the boot time in whole seconds; a process that started more
     * than this after the server wrote its counters file is not that server.
     */
    private static final long START_SLACK_MS = 2_000;

    private CountersLocation() {
    }

    /** @return the directory */
    public static File directory() {
        final String override = System.getenv("RINGSIDE_COUNTERS_DIR");
        if (override != null && !override.isEmpty()) {
            return new File(override);
        }
        return new File(System.getProperty("java.io.tmpdir"), "ringside-" + System.getProperty("user.name"));
    }

    /**
     * @param pid a process id
     * @return that process's counters file in {@link #directory()}
     */
    public static File fileFor(final long pid) {
        return fileIn(directory(), pid);
    }

    /**
     * @param directory a counters directory
     * @param pid       a process id
     * @return that process's counters file there
     */
    public static File fileIn(final File directory, final long pid) {
        return new File(directory, pid + SUFFIX);
    }

    /**
     * Where the worker processes of a prefork server publish their counters files (one per worker, named by its
     * slot): beside the supervisor's own file, so {@code ringside stat} on the supervisor's pid finds them.
     *
     * @param directory     a counters directory
     * @param supervisorPid the prefork server's pid
     * @return the workers' directory (it exists only while that server runs)
     */
    public static File workersDirectory(final File directory, final long supervisorPid) {
        return new File(directory, supervisorPid + WORKERS_SUFFIX);
    }

    /**
     * @param directory a counters directory
     * @return the pids of every counters file there, running or not, in ascending order
     */
    public static List<Long> pidsIn(final File directory) {
        final List<Long> pids = new ArrayList<>();
        final File[] files = directory.listFiles((dir, name) -> name.endsWith(SUFFIX));
        if (files == null) {
            return pids;
        }
        for (final File file : files) {
            final String name = file.getName();
            try {
                pids.add(Long.parseLong(name.substring(0, name.length() - SUFFIX.length())));
            } catch (final NumberFormatException ex) {
                // not one of ours
            }
        }
        pids.sort(null);
        return pids;
    }

    /**
     * Whether the server that wrote a counters file still runs. A SIGKILLed server leaves its file behind,
     * and its pid may since have been given to another process: a live process that started after the file
     * was written is not the server.
     *
     * @param pid          the server's pid
     * @param startEpochMs when the server wrote its file
     * @return true when it is alive
     */
    public static boolean isRunning(final long pid, final long startEpochMs) {
        final Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            return false;
        }
        final Optional<Instant> started = process.get().info().startInstant();
        return started.isEmpty() || started.get().toEpochMilli() <= startEpochMs + START_SLACK_MS;
    }
}
