package dev.ringside.engine.model;

import java.io.File;

import dev.ringside.engine.counter.CounterTotals;
import dev.ringside.engine.counter.CountersFile;

/**
 * Where a supervisor's workers keep their counters, and how the supervisor sums them: one shared file with a
 * set per worker (the process model, {@link SharedWorkerCounters}) or a file per worker process (the prefork
 * server, {@link OwnWorkerCounters}).
 */
interface WorkerCounters extends AutoCloseable {
    /**
     * @param slot a worker's number
     * @return the file named on that worker's command line ({@link WorkerLaunch#COUNTERS_OPTION})
     */
    File fileFor(int slot);

    /**
     * The worker listens, so its counters exist: from here on they are part of the totals.
     *
     * @param slot the worker's number
     */
    void onListening(int slot);

    /**
     * Counts worker processes running (a gauge).
     *
     * @param delta +1 when one starts, -1 when one exits
     */
    void addRunning(long delta);

    /** @return the sums over the supervisor and every worker that listened, readable after the workers exit */
    CounterTotals totals();

    /** @return the file {@code ringside stat} reads for the supervisor, or {@code null} when not published */
    CountersFile published();

    /** Unmaps everything; files this process created are deleted. */
    @Override
    void close();
}
