package dev.ringside.engine.model;

import java.io.File;

import dev.ringside.engine.counter.CounterTotals;
import dev.ringside.engine.counter.CountersFile;

/**
 * The process model's counters: one file, created by the supervisor with a set for itself and one per worker;
 * each worker maps it and writes its own set, so the file's sums are the server's.
 */
final class SharedWorkerCounters implements WorkerCounters {
    private final File path;
    private final boolean published;
    private final CounterStore store;
    private final ModelCounters supervisor;

    /**
     * @param path      the file
     * @param published whether {@code ringside stat} should find it (else it is a private temporary file)
     * @param workers   how many worker sets to allocate
     */
    SharedWorkerCounters(final File path, final boolean published, final int workers) {
        this.path = path;
        this.published = published;
        this.store = CounterStore.publish(path, workers + 1);
        this.supervisor = store.allocate("supervisor");
        for (int slot = 0; slot < workers; slot++) {
            store.allocate("worker-" + slot);
        }
    }

    @Override
    public File fileFor(final int slot) {
        return path;
    }

    @Override
    public void onListening(final int slot) {
        // the worker's set was allocated up front and is summed from the start
    }

    @Override
    public void addRunning(final long delta) {
        supervisor.add(ModelCounter.WORKER_PROCESSES, delta);
    }

    /**
     * @param slot a worker's number
     * @return the counters that worker writes
     */
    ModelCounters worker(final int slot) {
        return store.find("worker-" + slot);
    }

    @Override
    public CounterTotals totals() {
        return store.totals();
    }

    @Override
    public CountersFile published() {
        return published ? store.file() : null;
    }

    @Override
    public void close() {
        store.close();
    }
}
