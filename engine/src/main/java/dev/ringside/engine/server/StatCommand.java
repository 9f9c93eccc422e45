package dev.ringside.engine.server;

import java.io.File;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import dev.ringside.engine.config.Units;
import dev.ringside.engine.counter.CounterTotals;
import dev.ringside.engine.counter.CountersFile;
import org.agrona.concurrent.status.CountersReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ringside stat}: prints a running server's counters from its memory-mapped counters file, refreshing
 * like {@code watch}, with per-second rates (as AeronStat does for Aeron).
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

    @Override
    public Integer call() throws Exception {
        final long target = pid != null ? pid : onlyServer();
        final File file = CountersLocation.fileFor(target);
        if (!file.exists()) {
            throw new IllegalStateException("no counters for pid " + target + " in " + CountersLocation.directory()
                + " (is it a ringside server started without --no-counters-file?)");
        }
        final long intervalNs = Units.parseDurationNs(interval);
        final PrintStream out = System.out;
        final boolean terminal = System.console() != null && !once;
        try (CountersFile counters = CountersFile.open(file)) {
            final CountersReader reader = counters.newReader();
            CounterTotals previous = null;
            long previousNs = System.nanoTime();
            while (true) {
                final CounterTotals totals = CounterTotals.read(reader);
                final long nowNs = System.nanoTime();
                if (terminal) {
                    out.print("\033[H\033[2J");
                }
                out.printf("ringside stat: pid %d, up %ds%n", target,
                    (System.currentTimeMillis() - counters.startEpochMs()) / 1000);
                out.print(format(totals, previous, nowNs - previousNs));
                out.flush();
                if (once) {
                    return 0;
                }
                if (!ProcessHandle.of(target).map(ProcessHandle::isAlive).orElse(false)) {
                    out.println("server " + target + " has exited");
                    return 0;
                }
                previous = totals;
                previousNs = nowNs;
                TimeUnit.NANOSECONDS.sleep(intervalNs);
            }
        }
    }

    private static long onlyServer() {
        final List<Long> pids = CountersLocation.livePids();
        if (pids.isEmpty()) {
            throw new IllegalStateException("no running ringside server found (counters live in "
                + CountersLocation.directory() + ")");
        }
        if (pids.size() > 1) {
            throw new IllegalStateException("several servers are running, name one: " + pids);
        }
        return pids.get(0);
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
