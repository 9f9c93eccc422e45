package dev.ringside.bench.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a process, and the kernel, hold in memory, read from outside: resident set from {@code /proc/PID/status},
 * live heap from {@code jcmd PID GC.run} then {@code GC.heap_info} (so garbage is not counted), and the kernel's
 * socket memory from {@code /proc/meminfo} (slab: socket structures) and {@code /proc/net/sockstat} (pages
 * queued in TCP buffers). Linux only; a figure that cannot be read is -1.
 *
 * @param rssBytes      resident set, bytes
 * @param heapUsedBytes heap in use after a full collection, bytes
 */
public record ProcessMemory(long rssBytes, long heapUsedBytes) {
    private static final Pattern USED = Pattern.compile("used (\\d+)K");
    private static final long PAGE_BYTES = 4096;

    /**
     * @param pid a process
     * @return its resident set in bytes, or -1
     */
    public static long rssBytes(final long pid) {
        try {
            for (final String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"), StandardCharsets.UTF_8)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (final IOException | NumberFormatException ex) {
            return -1;
        }
        return -1;
    }

    /**
     * @param pids JVMs' pids
     * @return their live heaps, in the same order (-1 where unreadable), read side by side: one {@code jcmd} is a
     *         JVM start, and a dozen in turn outlast a short run on a small machine
     */
    public static List<Long> liveHeapBytes(final List<Long> pids) {
        final List<CompletableFuture<Long>> readings = new ArrayList<>();
        for (final long pid : pids) {
            readings.add(CompletableFuture.supplyAsync(() -> liveHeapBytes(pid),
                command -> {
                    final Thread thread = new Thread(command, "ringside-jcmd-" + pid);
                    thread.setDaemon(true);
                    thread.start();
                }));
        }
        final List<Long> heaps = new ArrayList<>();
        for (final CompletableFuture<Long> reading : readings) {
            heaps.add(reading.join());
        }
        return heaps;
    }

    private static long liveHeapBytes(final long pid) {
        if (jcmd(pid, "GC.run") == null) {
            return -1;
        }
        final String info = jcmd(pid, "GC.heap_info");
        if (info == null) {
            return -1;
        }
        long used = 0;
        boolean any = false;
        // The first "used NK" of each generation line; metaspace lines are not heap.
        for (final String line : info.split("\n")) {
            if (line.contains("Metaspace") || line.contains("class space")) {
                continue;
            }
            final Matcher matcher = USED.matcher(line);
            if (matcher.find() && (line.contains("total") || line.contains("garbage-first heap"))) {
                used += Long.parseLong(matcher.group(1)) * 1024;
                any = true;
            }
        }
        return any ? used : -1;
    }

    private static String jcmd(final long pid, final String command) {
        final String java = ProcessHandle.current().info().command().orElse("java");
        final Path jcmd = Path.of(java).resolveSibling("jcmd");
        try {
            final Process process = new ProcessBuilder(List.of(Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd",
                Long.toString(pid), command)).redirectErrorStream(true).start();
            final String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                return null;
            }
            return text;
        } catch (final IOException ex) {
            return null;
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * @return the kernel's socket memory now, bytes: slab (every kernel object cache, of which socket, inode,
     *         file and dentry structures are what grows with connections) plus pages in TCP buffers; -1 when
     *         unreadable. Machine-wide: take the difference across a run.
     */
    public static long kernelSocketBytes() {
        try {
            long slab = -1;
            for (final String line : Files.readAllLines(Path.of("/proc/meminfo"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("Slab:")) {
                    slab = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
            long pages = 0;
            for (final String line : Files.readAllLines(Path.of("/proc/net/sockstat"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("TCP:")) {
                    final String[] fields = line.trim().split("\\s+");
                    for (int i = 1; i + 1 < fields.length; i += 2) {
                        if ("mem".equals(fields[i])) {
                            pages = Long.parseLong(fields[i + 1]);
                        }
                    }
                }
            }
            return slab < 0 ? -1 : slab + pages * PAGE_BYTES;
        } catch (final IOException | NumberFormatException ex) {
            return -1;
        }
    }
}
