package dev.ringside.engine.model;

import java.io.File;
import java.nio.ByteBuffer;

import dev.ringside.engine.counter.CounterTotals;
import dev.ringside.engine.counter.CountersFile;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

/**
 * Where a model server keeps its counters: a memory-mapped file published for {@code ringside stat}, private
 * memory, or another process's file that a worker writes its own set into.
 */
public final class CounterStore implements AutoCloseable {
    private final CountersFile file;
    private final CountersManager manager;
    private final CountersReader reader;

    private CounterStore(final CountersFile file, final CountersManager manager, final CountersReader reader) {
        this.file = file;
        this.manager = manager;
        this.reader = reader;
    }

    /**
     * Creates a counters file (replacing a stale one) with room for some counter sets.
     *
     * @param path where
     * @param sets how many {@link ModelCounters} sets it must hold
     * @return the store
     */
    public static CounterStore publish(final File path, final int sets) {
        final CountersFile file = CountersFile.create(path, sets * ModelCounters.countersPerSet());
        return new CounterStore(file, file.newManager(), file.newReader());
    }

    /**
     * Keeps counters in this process's memory only.
     *
     * @param sets how many {@link ModelCounters} sets it must hold
     * @return the store
     */
    public static CounterStore privateMemory(final int sets) {
        final int count = sets * ModelCounters.countersPerSet();
        final CountersManager manager = new CountersManager(
            new UnsafeBuffer(ByteBuffer.allocateDirect(count * CountersReader.METADATA_LENGTH)),
            new UnsafeBuffer(ByteBuffer.allocateDirect(count * CountersReader.COUNTER_LENGTH)));
        return new CounterStore(null, manager, manager);
    }

    /**
     * Maps another process's counters file read-write, to update a set allocated there.
     *
     * @param path the file
     * @return the store; {@link #allocate} is not available on it
     */
    public static CounterStore attach(final File path) {
        final CountersFile file = CountersFile.open(path);
        return new CounterStore(file, null, file.newReader());
    }

    /**
     * Allocates a set of counters.
     *
     * @param prefix label prefix
     * @return the counters
     */
    public ModelCounters allocate(final String prefix) {
        if (manager == null) {
            throw new IllegalStateException("an attached counters file cannot allocate");
        }
        return ModelCounters.allocate(manager, prefix);
    }

    /**
     * Finds a set allocated earlier, possibly by another process.
     *
     * @param prefix the set's label prefix
     * @return the counters
     */
    public ModelCounters find(final String prefix) {
        return ModelCounters.attach(reader, prefix);
    }

    /** @return the sums across every set in the store */
    public CounterTotals totals() {
        return CounterTotals.read(reader);
    }

    /** @return the reader over every counter */
    public CountersReader reader() {
        return reader;
    }

    /** @return the file, or {@code null} for private memory */
    public CountersFile file() {
        return file;
    }

    /** Unmaps the file; a file this process created is deleted. */
    @Override
    public void close() {
        if (file != null) {
            file.close();
        }
    }
}
