package dev.ringside.bench.compare;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What a process and all its descendants cost, read from Linux's {@code /proc}: CPU time ({@code utime} +
 * {@code stime} of {@code /proc/PID/stat}), threads, peak resident memory since each process started and
 * resident memory now ({@code Threads}, {@code VmHWM} and {@code VmRSS} of {@code /proc/PID/status}). The
 * process model's workers are children of the supervisor, so the tree is what the model costs.
 *
 * <p>Each {@link #sample()} reads every live process of the tree. The peak memory of a process is kept from
 * its last sample, so a worker that exits still counts; CPU time is summed over the processes alive at the
 * sample (a worker that exits mid-window takes its time with it, which the caller reports).
 */
public final class ProcessTree {
    /** Clock ticks per second of {@code utime}/{@code stime}: {@code getconf CLK_TCK}, 100 on Linux. */
    static final long DEFAULT_TICKS_PER_SECOND = 100;

    private final long rootPid;
    private final Path proc;
    private final long ticksPerSecond;
    private final Map<Long, Long> peakKbByPid = new HashMap<>();
    private int maxThreads;
    private int maxProcesses;
    private long maxRssKb = -1;

    /**
     * @param rootPid the server's pid
     */
    public ProcessTree(final long rootPid) {
        this(rootPid, Path.of("/proc"), ClockTicks.PER_SECOND);
    }

    ProcessTree(final long rootPid, final Path proc, final long ticksPerSecond) {
        this.rootPid = rootPid;
        this.proc = proc;
        this.ticksPerSecond = ticksPerSecond;
    }

    /** @return whether {@code /proc} can be read here (Linux) */
    public static boolean supported() {
        return Files.isReadable(Path.of("/proc/self/stat")) && Files.isReadable(Path.of("/proc/self/status"));
    }

    /**
     * One reading of the whole tree.
     *
     * @param cpuNs     CPU time of the processes alive now, user + system, in nanoseconds
     * @param threads   threads of the processes alive now
     * @param processes processes alive now
     */
    public record Sample(long cpuNs, int threads, int processes) {
    }

    /**
     * Reads the tree now; updates the peaks.
     *
     * @return CPU, threads and processes now (all zero once the root has exited)
     */
    public Sample sample() {
        long ticks = 0;
        int threads = 0;
        int processes = 0;
        long rssKb = 0;
        for (final long pid : pids()) {
            final String stat = read(proc.resolve(Long.toString(pid)).resolve("stat"));
            final String status = read(proc.resolve(Long.toString(pid)).resolve("status"));
            if (stat == null || status == null) {
                continue; // exited between the listing and the read
            }
            ticks += cpuTicks(stat);
            threads += (int) statusValue(status, "Threads:");
            final long peakKb = statusValue(status, "VmHWM:");
            peakKbByPid.merge(pid, peakKb, Math::max);
            rssKb += statusValue(status, "VmRSS:");
            processes++;
        }
        if (processes > 0) {
            maxRssKb = Math.max(maxRssKb, rssKb);
        }
        maxThreads = Math.max(maxThreads, threads);
        maxProcesses = Math.max(maxProcesses, processes);
        return new Sample(ticks * TimeUnit.SECONDS.toNanos(1) / ticksPerSecond, threads, processes);
    }

    /**
     * Context switches so far, voluntary (a thread blocked: in {@code read}, on a lock) and involuntary (its
     * time slice ended), summed over every thread of every live process of the tree. Reads one file per
     * thread, so it is meant for the two ends of a window, not every second.
     *
     * @return the sum, or 0 once the root has exited
     */
    public long contextSwitches() {
        long total = 0;
        for (final long pid : pids()) {
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(proc.resolve(Long.toString(pid))
                .resolve("task"))) {
                for (final Path task : tasks) {
                    final String status = read(task.resolve("status"));
                    if (status != null) {
                        total += statusValue(status, "voluntary_ctxt_switches:")
                            + statusValue(status, "nonvoluntary_ctxt_switches:");
                    }
                }
            } catch (final IOException | java.io.UncheckedIOException ex) {
                continue; // the process exited meanwhile
            }
        }
        return total;
    }

    /** @return the sum over every process seen of its peak resident memory ({@code VmHWM}), in bytes */
    public long peakRssBytes() {
        long kb = 0;
        for (final long peak : peakKbByPid.values()) {
            kb += peak;
        }
        return kb * 1024;
    }

    /**
     * Unlike {@link #peakRssBytes()}, which is each process's high-water mark since it started, this covers
     * only the samples this object took: what a server held during one part of its life (one step of a sweep).
     *
     * @return the most resident memory ({@code VmRSS}) summed over the tree at one sample, in bytes; -1 before
     *         a sample found the tree
     */
    public long maxRssBytes() {
        return maxRssKb < 0 ? -1 : maxRssKb * 1024;
    }

    /** @return the most threads seen at one sample, over the tree */
    public int maxThreads() {
        return maxThreads;
    }

    /** @return the most processes seen at one sample */
    public int maxProcesses() {
        return maxProcesses;
    }

    private List<Long> pids() {
        final List<Long> pids = new ArrayList<>();
        pids.add(rootPid);
        // Children are found through ProcessHandle (Linux's /proc/PID/task/TID/children underneath).
        ProcessHandle.of(rootPid).ifPresent(root -> root.descendants().forEach(child -> pids.add(child.pid())));
        return pids;
    }

    /**
     * @param stat the text of {@code /proc/PID/stat}
     * @return {@code utime + stime}, in clock ticks
     */
    static long cpuTicks(final String stat) {
        // The command name (field 2) is in parentheses and may hold spaces or ')': count from the last ')'.
        final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        // fields[0] is field 3 (state), so utime (field 14) is fields[11] and stime (field 15) fields[12].
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /**
     * @param status the text of {@code /proc/PID/status}
     * @param key    e.g. {@code VmHWM:}
     * @return the first number after the key (kB for memory), or 0 when the key is absent (a zombie)
     */
    static long statusValue(final String status, final String key) {
        for (final String line : status.split("\n")) {
            if (line.startsWith(key)) {
                final String[] words = line.substring(key.length()).trim().split("\\s+");
                return Long.parseLong(words[0]);
            }
        }
        return 0;
    }

    private static String read(final Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (final IOException ex) {
            return null;
        }
    }

    /** Asks {@code getconf} once, when first needed. */
    private static final class ClockTicks {
        static final long PER_SECOND = ticksPerSecond();
    }

    private static long ticksPerSecond() {
        try {
            final Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            final String text = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (getconf.waitFor(5, TimeUnit.SECONDS) && getconf.exitValue() == 0) {
                return Long.parseLong(text);
            }
            getconf.destroyForcibly();
        } catch (final IOException | NumberFormatException ex) {
            return DEFAULT_TICKS_PER_SECOND;
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        return DEFAULT_TICKS_PER_SECOND;
    }
}
