package dev.ringside.bench.server;

import java.io.File;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import dev.ringside.engine.config.Units;
import dev.ringside.engine.counter.CounterTotals;
import dev.ringside.engine.counter.CountersFile;
import dev.ringside.engine.counter.PrivateDirectory;
import dev.ringside.engine.text.JsonWriter;
import org.agrona.concurrent.status.CountersReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import dev.ringside.engine.server.CountersLocation;

/**
 * {@code ringside stat}: prints a running server's counters from its memory-mapped counters file, refreshing
 * like {@code watch}, with per-second rates (as AeronStat does for Aeron); {@code --json} prints every server's
 * counters once, for scripts. For a prefork server ({@code server --processes N}) it shows the sum over the
 * worker processes and each worker beside it, read from the workers' own files ({@link WorkerFiles}).
 *
 * <p>A counters file is another process's output and is read as untrusted input: the directory and file must be
 * this user's ({@link PrivateDirectory}), every length in them is checked against the file's size, labels are
 * shown printable-only ({@link CounterTotals}), and a server that no longer runs (SIGKILLed servers leave their
 * file behind) is said to be not running rather than shown as live.
 */
@Command(name = "stat", mixinStandardHelpOptions = true,
    description = "Print the live counters of a running ringside server (refreshing; --once for one snapshot).")
public class StatCommand implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "PID", description = "server process id (default: the only one running)")
    Long pid;

    @Option(names = "--once", description = "print one snapshot and exit")
    boolean once;

    @Option(names = "--interval", defaultValue = "1s", paramLabel = "DURATION",
        description = "refresh interval (default: ${DEFAULT-VALUE})")
    String interval;

    @Option(names = "--json", description = "print one JSON array, one object per server (pid, alive, "
        + "startEpochMs, uptimeS, counters; or error) for every counters file, or PID's only, and exit")
    boolean json;

    @Option(names = "--dir", paramLabel = "DIR",
        description = "counters directory (default: $RINGSIDE_COUNTERS_DIR, else <tmp>/ringside-<user>)")
    File dir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        final File directory = dir != null ? dir : CountersLocation.directory();
        if (Files.exists(directory.toPath()) || Files.isSymbolicLink(directory.toPath())) {
            PrivateDirectory.verify(directory.toPath());
        }
        final PrintWriter out = spec.commandLine().getOut();
        if (json) {
            final List<Long> pids = pid != null ? List.of(pid) : CountersLocation.pidsIn(directory);
            final List<Map<String, Object>> servers = new ArrayList<>();
            for (final long each : pids) {
                servers.add(snapshot(directory, each, pid != null));
            }
            out.print(JsonWriter.render(servers));
            out.flush();
            return 0;
        }
        final long target = pid != null ? pid : onlyRunning(directory);
        final long intervalNs = Units.parseDurationNs(interval);
        final boolean terminal = System.console() != null && !once;
        try (CountersFile counters = open(directory, target)) {
            final CountersReader reader = counters.newReader();
            CounterTotals previous = null;
            long previousNs = System.nanoTime();
            while (true) {
                final WorkerFiles.Snapshot workers = WorkerFiles.read(directory, target);
                final CounterTotals totals = workers.isEmpty() ? read(counters, reader)
                    : workers.totals(read(counters, reader));
                final long nowNs = System.nanoTime();
                final boolean running = CountersLocation.isRunning(target, counters.startEpochMs());
                if (terminal) {
                    out.print("\033[H\033[2J");
                }
                if (running) {
                    out.printf("ringside stat: pid %d, up %ds%s%n", target,
                        (System.currentTimeMillis() - counters.startEpochMs()) / 1000, workers.describe());
                } else {
                    out.printf("ringside stat: pid %d is not running (it exited or was killed); the last counters"
                        + " it wrote:%n", target);
                }
                out.print(workers.isEmpty() ? format(totals, running ? previous : null, nowNs - previousNs)
                    : workers.format(totals, running ? previous : null, nowNs - previousNs));
                out.flush();
                if (once || !running) {
                    return 0;
                }
                previous = totals;
                previousNs = nowNs;
                TimeUnit.NANOSECONDS.sleep(intervalNs);
            }
        }
    }

    /** Opens a server's file, refusing one whose header names another pid (renamed or forged). */
    private static CountersFile open(final File directory, final long target) {
        final File file = CountersLocation.fileIn(directory, target);
        if (!file.exists()) {
            throw new IllegalStateException("no counters for pid " + target + " in " + directory
                + " (is it a ringside server started without --no-counters-file?)");
        }
        final CountersFile counters = CountersFile.open(file);
        if (counters.pid() != target) {
            counters.close();
            throw new IllegalStateException(file + " holds the counters of pid " + counters.pid() + ", not "
                + target + "; remove it");
        }
        return counters;
    }

    private static CounterTotals read(final CountersFile counters, final CountersReader reader) {
        try {
            return CounterTotals.read(reader);
        } catch (final IllegalStateException | IndexOutOfBoundsException ex) {
            throw new IllegalStateException(counters.file() + ": " + ex.getMessage(), ex);
        }
    }

    /** One server as JSON; a file that cannot be read is an {@code error} entry, unless it was asked for by pid. */
    private static Map<String, Object> snapshot(final File directory, final long target, final boolean named) {
        final Map<String, Object> server = new LinkedHashMap<>();
        server.put("pid", target);
        try (CountersFile counters = open(directory, target)) {
            final WorkerFiles.Snapshot workers = WorkerFiles.read(directory, target);
            final CounterTotals own = read(counters, counters.newReader());
            final CounterTotals totals = workers.isEmpty() ? own : workers.totals(own);
            final boolean running = CountersLocation.isRunning(target, counters.startEpochMs());
            server.put("alive", running);
            server.put("startEpochMs", counters.startEpochMs());
            server.put("uptimeS", running ? (System.currentTimeMillis() - counters.startEpochMs()) / 1000.0 : null);
            server.put("counters", values(totals));
            if (!workers.isEmpty()) {
                server.put("workers", workers.json());
            }
        } catch (final IllegalStateException ex) {
            if (named) {
                throw ex;
            }
            server.put("alive", ProcessHandle.of(target).map(ProcessHandle::isAlive).orElse(false));
            server.put("error", ex.getMessage());
        }
        return server;
    }

    /**
     * @param totals counters
     * @return label to value, in type-id order; a label that two types share is told apart by the type id
     */
    static Map<String, Object> values(final CounterTotals totals) {
        final Map<String, Object> values = new LinkedHashMap<>();
        for (final Map.Entry<Integer, String> entry : totals.labels().entrySet()) {
            final String label = values.containsKey(entry.getValue())
                ? entry.getValue() + " (type " + entry.getKey() + ")" : entry.getValue();
            values.put(label, totals.value(entry.getKey()));
        }
        return values;
    }

    private static long onlyRunning(final File directory) {
        final List<Long> running = new ArrayList<>();
        final List<Long> stale = new ArrayList<>();
        for (final long each : CountersLocation.pidsIn(directory)) {
            final File file = CountersLocation.fileIn(directory, each);
            boolean alive;
            try (CountersFile counters = CountersFile.open(file)) {
                alive = counters.pid() == each && CountersLocation.isRunning(each, counters.startEpochMs());
            } catch (final IllegalStateException ex) {
                alive = false;
            }
            (alive ? running : stale).add(each);
        }
        if (running.isEmpty()) {
            throw new IllegalStateException("no running ringside server found in " + directory
                + (stale.isEmpty() ? "" : "; counters left by servers that are not running: pids " + stale
                + " (name one to see its last counters)"));
        }
        if (running.size() > 1) {
            throw new IllegalStateException("several servers are running, name one: " + running);
        }
        return running.get(0);
    }

    static String format(final CounterTotals totals, final CounterTotals previous, final long elapsedNs) {
        final StringBuilder out = new StringBuilder();
        int width = 0;
        for (final String label : totals.labels().values()) {
            width = Math.max(width, label.length());
        }
        for (final Map.Entry<Integer, String> entry : totals.labels().entrySet()) {
            final long value = totals.value(entry.getKey());
            out.append(String.format("  %-" + width + "s %,16d", entry.getValue(), value));
            if (previous != null && elapsedNs > 0) {
                final double perSecond = (value - previous.value(entry.getKey())) * 1e9 / elapsedNs;
                out.append(String.format("  %,14.0f/s", perSecond));
            }
            out.append(System.lineSeparator());
        }
        return out.toString();
    }
}
