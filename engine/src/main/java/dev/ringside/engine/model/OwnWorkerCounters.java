package dev.ringside.engine.model;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import dev.ringside.engine.counter.CounterTotals;
import dev.ringside.engine.counter.CountersFile;
import dev.ringside.engine.counter.PrivateDirectory;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * The prefork server's counters: every selector worker publishes a counters file of its own
 * ({@link WorkerLaunch#ownCountersFile}, in a directory of the supervisor's), written by its loops as any
 * selector server's is, with no cross-process writes. The supervisor's own file holds one gauge, the worker
 * processes running; {@code ringside stat} on the supervisor's pid finds the workers' files by the directory
 * and shows each and their sum.
 *
 * <p>The supervisor maps each worker's file once the worker listens and keeps the mapping: a worker deletes its
 * file when it exits, but the mapping stays readable, so the supervisor's final counters include every
 * worker's last values.
 */
final class OwnWorkerCounters implements WorkerCounters {
    private final CountersFile supervisorFile;
    private final boolean published;
    private final File directory;
    private final AtomicCounter running;
    private final CountersFile[] workerFiles;

    /**
     * @param supervisorPath the supervisor's counters file
     * @param published      whether {@code ringside stat} should find the files (else they are private)
     * @param directory      where the workers publish theirs, or {@code null} for a private temporary directory
     * @param workers        how many workers
     * @throws IOException when a private directory cannot be made
     */
    OwnWorkerCounters(final File supervisorPath, final boolean published, final File directory, final int workers)
        throws IOException {
        this.published = published;
        this.directory = directory != null ? directory
            : Files.createTempDirectory("ringside-prefork-").toFile();
        // The supervisor's file first: it makes the counters directory (0700) the workers' directory goes in.
        this.supervisorFile = CountersFile.create(supervisorPath, 1);
        PrivateDirectory.ensure(this.directory.toPath());
        this.running = supervisorFile.newManager().newCounter("supervisor: " + ModelCounter.WORKER_PROCESSES.label(),
            ModelCounter.WORKER_PROCESSES.id());
        this.workerFiles = new CountersFile[workers];
    }

    @Override
    public File fileFor(final int slot) {
        return WorkerLaunch.ownCountersFile(directory, slot);
    }

    @Override
    public synchronized void onListening(final int slot) {
        // The worker creates its file before it binds, so it exists once the worker says it listens.
        workerFiles[slot] = CountersFile.open(fileFor(slot));
    }

    @Override
    public void addRunning(final long delta) {
        running.getAndAdd(delta);
    }

    @Override
    public synchronized CounterTotals totals() {
        final List<CounterTotals> parts = new ArrayList<>();
        parts.add(CounterTotals.read(supervisorFile.newReader()));
        for (final CountersFile file : workerFiles) {
            if (file != null) {
                parts.add(CounterTotals.read(file.newReader()));
            }
        }
        return CounterTotals.sum(parts);
    }

    @Override
    public CountersFile published() {
        return published ? supervisorFile : null;
    }

    @Override
    public synchronized void close() {
        for (int slot = 0; slot < workerFiles.length; slot++) {
            if (workerFiles[slot] != null) {
                workerFiles[slot].close();
                workerFiles[slot] = null;
            }
            // A worker killed with SIGKILL cannot delete its own file.
            fileFor(slot).delete();
        }
        supervisorFile.close();
        directory.delete();
    }
}
