package dev.ringside.engine.counter;

import java.io.File;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

/**
 * A memory-mapped file holding a process's counters: a small header, then Agrona counter metadata, then
 * values. The writer creates it at start ({@code 0600}, in a {@code 0700} directory: {@link PrivateDirectory})
 * and deletes it at close; readers map it.
 *
 * <p>A reader trusts nothing in the file: every length and offset in the header is checked against the
 * file's size before anything is mapped as metadata or values (and every label length by
 * {@link CounterTotals#read}), so a corrupt or hostile file is one clear error, never an out-of-memory error or
 * a read outside the mapping.
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
        if (parent != null) {
            PrivateDirectory.ensure(parent.toPath());
        }
        IoUtil.deleteIfExists(file);
        final MappedByteBuffer mapped = mapNew(file.toPath(), HEADER_LENGTH + metadataLength + valuesLength);
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

    /** Creates the file {@code 0600} from the start (no window in which it is readable by others) and maps it. */
    private static MappedByteBuffer mapNew(final Path path, final int length) {
        // CREATE_NEW is O_EXCL: it never follows a symbolic link planted where the file goes.
        try (FileChannel channel = FileChannel.open(path,
            EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE),
            PosixFilePermissions.asFileAttribute(PrivateDirectory.FILE_PERMISSIONS))) {
            Files.setPosixFilePermissions(path, PrivateDirectory.FILE_PERMISSIONS);
            // Mapping past the end extends the file with zeros.
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, length);
        } catch (final IOException ex) {
            throw new IllegalStateException("cannot create counters file " + path + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * Maps an existing counters file, after checking it is this user's and that its header fits its size.
     *
     * @param file the file
     * @return the open file
     * @throws IllegalStateException when it is not a Ringside counters file, is corrupt, or is someone else's
     */
    public static CountersFile open(final File file) {
        PrivateDirectory.verifyFile(file.toPath());
        final long size = file.length();
        if (size < HEADER_LENGTH || size > Integer.MAX_VALUE) {
            throw new IllegalStateException(file + " is not a ringside counters file (" + size + " bytes)");
        }
        final MappedByteBuffer mapped = IoUtil.mapExistingFile(file, "ringside counters");
        final String problem = checkHeader(new UnsafeBuffer(mapped, 0, HEADER_LENGTH), mapped.capacity());
        if (problem != null) {
            IoUtil.unmap(mapped);
            throw new IllegalStateException(file + problem);
        }
        return new CountersFile(file, mapped, false);
    }

    /** @return what is wrong with the header, as the end of a sentence, or {@code null} when it is sound */
    static String checkHeader(final UnsafeBuffer header, final int fileLength) {
        if (header.getIntAcquire(MAGIC_OFFSET) != MAGIC) {
            return " is not a ringside counters file";
        }
        final int version = header.getInt(VERSION_OFFSET);
        if (version != VERSION) {
            return " has layout version " + version + "; this ringside reads version " + VERSION;
        }
        final int metadataLength = header.getInt(METADATA_LENGTH_OFFSET);
        final int valuesLength = header.getInt(VALUES_LENGTH_OFFSET);
        if (metadataLength < 0 || valuesLength < 0
            || metadataLength % CountersReader.METADATA_LENGTH != 0 || valuesLength % CountersReader.COUNTER_LENGTH != 0
            || metadataLength / CountersReader.METADATA_LENGTH != valuesLength / CountersReader.COUNTER_LENGTH) {
            return " is corrupt: metadata length " + metadataLength + " and values length " + valuesLength
                + " do not describe the same number of counters";
        }
        if ((long) HEADER_LENGTH + metadataLength + valuesLength > fileLength) {
            return " is corrupt: header, metadata (" + metadataLength + ") and values (" + valuesLength
                + ") need more than the file's " + fileLength + " bytes";
        }
        return null;
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
