package dev.ringside.bench.server;

import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.ringside.engine.counter.CounterTotals;
import dev.ringside.engine.counter.CountersFile;
import dev.ringside.engine.model.WorkerLaunch;
import dev.ringside.engine.server.CountersLocation;

/**
 * The counters files of a prefork server's worker processes, as {@code ringside stat} reads them: one per worker
 * in {@link CountersLocation#workersDirectory}, named by slot ({@link WorkerLaunch#ownCountersFile}), each
 * checked like any counters file (this user's, header within the file's size).
 */
final class WorkerFiles {
    private WorkerFiles() {
    }

    /**
     * Reads every worker's counters now.
     *
     * @param directory     the counters directory
     * @param supervisorPid the server's pid
     * @return the snapshot; empty when the server is not a prefork server
     */
    static Snapshot read(final File directory, final long supervisorPid) {
        final File workers = CountersLocation.workersDirectory(directory, supervisorPid);
        final TreeMap<Integer, Worker> bySlot = new TreeMap<>();
        final File[] files = workers.listFiles();
        if (files == null) {
            return new Snapshot(List.of());
        }
        for (final File file : files) {
            final int slot = WorkerLaunch.slotOf(file.getName());
            if (slot < 0) {
                continue;
            }
            try (CountersFile counters = CountersFile.open(file)) {
                bySlot.put(slot, new Worker(slot, counters.pid(),
                    CountersLocation.isRunning(counters.pid(), counters.startEpochMs()),
                    CounterTotals.read(counters.newReader())));
            } catch (final IllegalStateException ex) {
                // A worker's file vanishes when it exits, and may be half-written as it starts: skip it this time.
            }
        }
        return new Snapshot(new ArrayList<>(bySlot.values()));
    }

    /** One worker's counters. */
    static final class Worker {
        final int slot;
        final long pid;
        final boolean alive;
        final CounterTotals totals;

        Worker(final int slot, final long pid, final boolean alive, final CounterTotals totals) {
            this.slot = slot;
            this.pid = pid;
            this.alive = alive;
            this.totals = totals;
        }
    }

    /** The workers' counters read at one moment. */
    static final class Snapshot {
        private final List<Worker> workers;

        Snapshot(final List<Worker> workers) {
            this.workers = workers;
        }

        List<Worker> workers() {
            return workers;
        }

        boolean isEmpty() {
            return workers.isEmpty();
        }

        /**
         * @param supervisor the supervisor's own counters
         * @return the sums over the supervisor and every worker
         */
        CounterTotals totals(final CounterTotals supervisor) {
            final List<CounterTotals> all = new ArrayList<>();
            all.add(supervisor);
            for (final Worker worker : workers) {
                all.add(worker.totals);
            }
            return CounterTotals.sum(all);
        }

        /** @return what the header line adds: how many workers and their pids */
        String describe() {
            if (workers.isEmpty()) {
                return "";
            }
            final StringBuilder text = new StringBuilder(", ").append(workers.size()).append(" worker processes:");
            for (final Worker worker : workers) {
                text.append(' ').append(worker.slot).append("=pid ").append(worker.pid)
                    .append(worker.alive ? "" : " (exited)");
            }
            return text.toString();
        }

        /**
         * The sums (with rates, as for one process) and one column per worker.
         *
         * @param totals    the sums
         * @param previous  the sums one interval ago, or {@code null}
         * @param elapsedNs the interval
         * @return the table
         */
        String format(final CounterTotals totals, final CounterTotals previous, final long elapsedNs) {
            final StringBuilder out = new StringBuilder();
            int width = "counter".length();
            for (final String label : totals.labels().values()) {
                width = Math.max(width, label.length());
            }
            final boolean rates = previous != null && elapsedNs > 0;
            out.append(String.format("  %-" + width + "s %16s", "counter", "total"));
            if (rates) {
                out.append(String.format("  %16s", "total/s"));
            }
            for (final Worker worker : workers) {
                out.append(String.format(" %14s", "worker " + worker.slot));
            }
            out.append(System.lineSeparator());
            for (final Map.Entry<Integer, String> entry : totals.labels().entrySet()) {
                final long value = totals.value(entry.getKey());
                out.append(String.format("  %-" + width + "s %,16d", entry.getValue(), value));
                if (rates) {
                    final double perSecond = (value - previous.value(entry.getKey())) * 1e9 / elapsedNs;
                    out.append(String.format("  %,14.0f/s", perSecond));
                }
                for (final Worker worker : workers) {
                    out.append(String.format(" %,14d", worker.totals.value(entry.getKey())));
                }
                out.append(System.lineSeparator());
            }
            return out.toString();
        }

        /** @return one JSON object per worker: slot, pid, alive, counters */
        List<Map<String, Object>> json() {
            final List<Map<String, Object>> list = new ArrayList<>();
            for (final Worker worker : workers) {
                final Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("slot", worker.slot);
                entry.put("pid", worker.pid);
                entry.put("alive", worker.alive);
                entry.put("counters", StatCommand.values(worker.totals));
                list.add(entry);
            }
            return list;
        }
    }
}
