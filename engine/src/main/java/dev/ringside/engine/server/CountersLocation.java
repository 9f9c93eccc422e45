package dev.ringside.engine.server;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

/**
 * Where server processes publish their counters: one file per process, named by its pid, in a directory
 * under the system temporary directory (or {@code RINGSIDE_COUNTERS_DIR}).
 */
public final class CountersLocation {
    private static final String SUFFIX = ".counters";

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
     * @return that process's counters file
     */
    public static File fileFor(final long pid) {
        return new File(directory(), pid + SUFFIX);
    }

    /** @return the pids of live processes that have a counters file */
    public static List<Long> livePids() {
        final List<Long> pids = new ArrayList<>();
        final File[] files = directory().listFiles((dir, name) -> name.endsWith(SUFFIX));
        if (files == null) {
            return pids;
        }
        for (final File file : files) {
            final String name = file.getName();
            try {
                final long pid = Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    pids.add(pid);
                }
            } catch (final NumberFormatException ex) {
                // not one of ours
            }
        }
        pids.sort(null);
        return pids;
    }
}
