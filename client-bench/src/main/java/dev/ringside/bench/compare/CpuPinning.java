package dev.ringside.bench.compare;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.ringside.bench.record.IntervalListener;

/**
 * Keeps a server and the load generator on separate CPUs with {@code taskset}: the server child is started
 * under {@code taskset -c LIST} (its own child processes inherit the mask), and the generator's loop threads
 * are moved with {@code taskset -p -c LIST TID} once they run. The generator's reporting, JIT and GC threads
 * are left to float, so that they never preempt its loop thread.
 */
public final class CpuPinning {
    /** Linux keeps the first 15 characters of a thread's name; the generator's loop threads start so. */
    public static final String GENERATOR_THREAD_PREFIX = "ringside-bench";

    private CpuPinning() {
    }

    /** @return whether {@code taskset} is on the PATH and there are at least two CPUs to split */
    public static boolean available() {
        return Runtime.getRuntime().availableProcessors() >= 2 && onPath("taskset");
    }

    /** @return every CPU but the first, e.g. {@code 1-3}, where the generator goes when the server has CPU 0 */
    public static String allButFirst() {
        final int cpus = Runtime.getRuntime().availableProcessors();
        return cpus <= 2 ? "1" : "1-" + (cpus - 1);
    }

    /**
     * @param name a program
     * @return whether it is an executable file in a directory of the PATH
     */
    public static boolean onPath(final String name) {
        final String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (final String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Pins this process's generator loop threads (named {@value #GENERATOR_THREAD_PREFIX}-N) to some CPUs.
     *
     * @param cpus a CPU list as taskset takes it, e.g. {@code 1} or {@code 1-3}
     * @return threads pinned
     */
    public static int pinGeneratorThreads(final String cpus) {
        return pinThreads(cpus);
    }

    /**
     * A listener that pins a run's generator threads when its first interval ends (a second after they
     * started, so they exist and are named). One per run: each run has new threads.
     *
     * @param cpus     the CPU list
     * @param progress where to say that pinning failed
     * @return the listener
     */
    public static IntervalListener onFirstInterval(final String cpus, final PrintStream progress) {
        final boolean[] pinned = new boolean[1];
        return sample -> {
            if (!pinned[0]) {
                pinned[0] = true;
                if (pinGeneratorThreads(cpus) == 0) {
                    progress.println("ringside compare:   could not pin the generator loop thread; it runs unpinned");
                }
            }
        };
    }

    private static int pinThreads(final String cpus) {
        int pinned = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (final Path task : (Iterable<Path>) tasks::iterator) {
                final String name;
                try {
                    name = Files.readString(task.resolve("comm"), StandardCharsets.UTF_8).trim();
                } catch (final IOException ex) {
                    continue; // the thread ended
                }
                if (!name.startsWith(GENERATOR_THREAD_PREFIX)) {
                    continue;
                }
                final Process taskset = new ProcessBuilder("taskset", "-p", "-c", cpus,
                    task.getFileName().toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (taskset.waitFor(5, TimeUnit.SECONDS) && taskset.exitValue() == 0) {
                    pinned++;
                } else {
                    taskset.destroyForcibly();
                }
            }
        } catch (final IOException ex) {
            return pinned;
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        return pinned;
    }
}
