package dev.ringside.bench.fleet;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.zip.DataFormatException;

import dev.ringside.bench.record.IntervalLog;
import org.HdrHistogram.Histogram;

/**
 * Follows a running generator's interval log: where it stands (its latest progress comment) and the corrected
 * latency of the intervals it wrote since the last look. Reads only whole lines; a line still being written
 * waits for the next look. The file is the only channel from the child: nothing here is a protocol of its own.
 */
final class LogTail {
    private static final int CHUNK_BYTES = 64 * 1024;

    private final Path file;
    private final ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES);
    private final StringBuilder partial = new StringBuilder();
    private long position;
    private IntervalLog.Progress progress;

    LogTail(final Path file) {
        this.file = file;
    }

    /** @return the latest progress comment read, or {@code null} before the first */
    IntervalLog.Progress progress() {
        return progress;
    }

    /**
     * Reads what was appended since the last call.
     *
     * @param into gets the corrected latency of every interval read now
     * @throws IOException when the file cannot be read (a missing file is not yet written: nothing to read)
     */
    void poll(final Histogram into) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            while (true) {
                chunk.clear();
                final int read = channel.read(chunk, position);
                if (read <= 0) {
                    return;
                }
                position += read;
                partial.append(new String(chunk.array(), 0, read, StandardCharsets.US_ASCII));
                int newline;
                while ((newline = partial.indexOf("\n")) >= 0) {
                    onLine(partial.substring(0, newline), into);
                    partial.delete(0, newline + 1);
                }
            }
        } catch (final NoSuchFileException ex) {
            return;
        }
    }

    private void onLine(final String line, final Histogram into) {
        final IntervalLog.Progress read = IntervalLog.parseProgress(line);
        if (read != null) {
            progress = read;
            return;
        }
        if (line.isEmpty() || !Character.isDigit(line.charAt(0))) {
            return; // comments, the legend, and tagged (uncorrected) intervals
        }
        // An untagged interval: start,length,max,base64-compressed histogram (HdrHistogram's log format).
        final String[] fields = line.split(",");
        if (fields.length < 4) {
            return;
        }
        try {
            final Histogram decoded = Histogram.decodeFromCompressedByteBuffer(
                ByteBuffer.wrap(Base64.getDecoder().decode(fields[3].trim())), 0);
            into.add(decoded);
        } catch (final DataFormatException | IllegalArgumentException ex) {
            return; // not a histogram after all: the progress line does without it
        }
    }
}
