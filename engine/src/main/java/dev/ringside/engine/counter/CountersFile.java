package dev.ringside.engine.counter;

import java.io.File;
import java.nio.MappedByteBuffer;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

/**
 * A memory-mapped file holding a process's counters: a small header, then Agrona counter metadata, then
 * values. The writer creates it at start and deletes it at close; readers map it read-only.
 *
 * <pre>
 *   0: int magic, 4: int version, 8: long pid, 16: long start epoch ms,
 *  24: int metadata length, 28: int values length, 64: metadata..., values...
 * </pre>
 */
public final class CountersFile implements AutoCloseable {
    /** Identifies a Ringside counters file. */
    public static final int MAGIC = 0x52534354; // "RSCT"
    /** Layout version. */
    public static final int VERSION = 1;
    static final int HEADER_LENGTH = 64;
    private static final int MAGIC_OFFSET = 0;
    private static final int VERSION_OFFSET = 4;
    private static final int PID_OFFSET = 8;
    private static final int START_OFFSET = 16;
    private static final int METADATA_LENGTH_OFFSET = 24;
    private static final int VALUES_LENGTH_OFFSET = 28;

    private final File file;
    private final MappedByteBuffer mapped;
    private final UnsafeBuffer header;
    private final UnsafeBuffer metadata;
    private final UnsafeBuffer values;
    private final boolean owner;

    private CountersFile(final File file, final MappedByteBuffer mapped, final boolean owner) {
        this.file = file;
        this.mapped = mapped;
        this.owner = owner;
        this.header = new UnsafeBuffer(mapped, 0, HEADER_LENGTH);
        final int metadataLength = header.getInt(METADATA_LENGTH_OFFSET);
        final int valuesLength = header.getInt(VALUES_LENGTH_OFFSET);
        this.metadata = new UnsafeBuffer(mapped, HEADER_LENGTH, metadataLength);
        this.values = new UnsafeBuffer(mapped, HEADER_LENGTH + metadataLength, valuesLength);
    }

    /**
     * Creates (replacing any stale one) the counters file of this process.
     *
     * @param file        where
     * @param maxCounters how many counters it can hold
     * @return the open file
     */
    public static CountersFile create(final File file, final int maxCounters) {
        final int valuesLength = maxCounters * CountersReader.COUNTER_LENGTH;
        final int metadataLength = maxCounters * CountersReader.METADATA_LENGTH;
        final File parent = file.getAbsoluteFile().getParentFile();
        if (parent != null && !parent.isDirectory() && !parent.mkdirs()) {
            throw new IllegalStateException("cannot create counters directory " + parent);
        }
        IoUtil.deleteIfExists(file);
        final MappedByteBuffer mapped = IoUtil.mapNewFile(file, HEADER_LENGTH + metadataLength + valuesLength);
        final UnsafeBuffer header = new UnsafeBuffer(mapped, 0, HEADER_LENGTH);
        header.putInt(VERSION_OFFSET, VERSION);
        header.putLong(PID_OFFSET, ProcessHandle.current().pid());
        header.putLong(START_OFFSET, System.currentTimeMillis());
        header.putInt(METADATA_LENGTH_OFFSET, metadataLength);
        header.putInt(VALUES_LENGTH_OFFSET, valuesLength);
        // Magic last, released: a reader that sees it sees a complete header.
        header.putIntRelease(MAGIC_OFFSET, MAGIC);
        return new CountersFile(file, mapped, true);
    }

    /**
     * Maps an existing counters file for reading.
     *
     * @param file the file
     * @return the open file
     * @throws IllegalStateException when it is not a Ringside counters file
     */
    public static CountersFile open(final File file) {
        final MappedByteBuffer mapped = IoUtil.mapExistingFile(file, "ringside counters");
        if (mapped.capacity() < HEADER_LENGTH
            || new UnsafeBuffer(mapped, 0, HEADER_LENGTH).getIntAcquire(MAGIC_OFFSET) != MAGIC) {
            IoUtil.unmap(mapped);
            throw new IllegalStateException(file + " is not a ringside counters file");
        }
        return new CountersFile(file, mapped, false);
    }

    /** @return a manager allocating counters in this file (writer side) */
    public CountersManager newManager() {
        return new CountersManager(metadata, values);
    }

    /** @return a reader of this file's counters */
    public CountersReader newReader() {
        return new CountersReader(metadata, values);
    }

    public long pid() {
        return header.getLong(PID_OFFSET);
    }

    public long startEpochMs() {
        return header.getLong(START_OFFSET);
    }

    public File file() {
        return file;
    }

    @Override
    public void close() {
        IoUtil.unmap(mapped);
        if (owner) {
            IoUtil.deleteIfExists(file);
        }
    }
}
