package dev.ringside.engine.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

import dev.ringside.engine.buffer.ByteRing;
import dev.ringside.engine.protocol.CloseReason;
import dev.ringside.engine.protocol.Session;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Feeds bytes to a session the way a connection does: into an inbound ring, one {@code onData} per read,
 * with the input split at every boundary (all at once, one byte at a time, and every two-way split), and
 * with the ring both fresh and positioned so the input wraps around its end. Like the engine, an emptied
 * ring is handed back and a fresh one (positions restarting at zero) is used for the next read, so
 * sessions that remember positions across reads get caught.
 */
public final class Feeder {
    public static final int RING_BYTES = 1024;
    public static final int OUTPUT_BYTES = 64 * 1024;

    private Feeder() {
    }

    /** What one feeding produced. */
    public record Result(byte[] output, CloseReason closedWith, boolean closeAfterFlush, int messages,
        byte[] unconsumed) {
        public String outputText() {
            return new String(output, StandardCharsets.ISO_8859_1);
        }
    }

    /** One run's set-up: a session and its outbound, both new. */
    public record Subject(Session session, RecordingOutbound out) {
    }

    /**
     * Feeds every split of the input to fresh subjects and checks that each run passes {@code check} and
     * that all runs agree byte for byte.
     *
     * @param subjects makes a fresh session and outbound per run
     * @param input    the bytes a peer sends
     * @param check    assertions on each run's result
     */
    public static void everySplit(final Supplier<Subject> subjects, final byte[] input, final Consumer<Result> check) {
        Result first = null;
        for (final int[] chunks : splits(input.length)) {
            for (final int wrapOffset : new int[] {0, RING_BYTES - 3}) {
                final Result result = feed(subjects.get(), input, chunks, wrapOffset);
                check.accept(result);
                if (first == null) {
                    first = result;
                } else {
                    assertArrayEquals(first.output(), result.output(), "output differs for split " + describe(chunks));
                    assertEquals(first.closedWith(), result.closedWith(), "close differs for " + describe(chunks));
                    assertEquals(first.messages(), result.messages(), "messages differ for " + describe(chunks));
                }
            }
        }
    }

    /**
     * Feeds input in the given chunk sizes.
     *
     * @param subject    session and outbound
     * @param input      bytes
     * @param chunks     chunk sizes summing to the input length
     * @param wrapOffset bytes written and consumed in the first ring before the input, to make it wrap
     * @return the result
     */
    public static Result feed(final Subject subject, final byte[] input, final int[] chunks, final int wrapOffset) {
        return feed(subject, input, chunks, wrapOffset, RING_BYTES);
    }

    /**
     * Feeds input in the given chunk sizes through rings of a given size.
     *
     * @param subject    session and outbound
     * @param input      bytes
     * @param chunks     chunk sizes summing to the input length
     * @param wrapOffset bytes written and consumed in the first ring before the input, to make it wrap
     * @param ringBytes  ring capacity, a power of two
     * @return the result
     */
    public static Result feed(final Subject subject, final byte[] input, final int[] chunks, final int wrapOffset,
        final int ringBytes) {
        final Session session = subject.session();
        final RecordingOutbound out = subject.out().owner(session);
        session.onOpen(out);
        ByteRing ring = ByteRing.allocate(ringBytes);
        if (wrapOffset > 0) {
            ring.write(new UnsafeBuffer(new byte[wrapOffset]), 0, wrapOffset);
            ring.consume(wrapOffset);
        }
        final UnsafeBuffer source = new UnsafeBuffer(input);
        int offset = 0;
        int messages = 0;
        for (final int chunk : chunks) {
            if (!out.isOpen()) {
                break;
            }
            if (!ring.write(source, offset, chunk)) {
                throw new AssertionError("test input overflows the ring: the session kept too much");
            }
            offset += chunk;
            messages += session.onData(ring, out);
            if (ring.isEmpty()) {
                ring = ByteRing.allocate(ringBytes); // the engine returns an empty ring and leases a fresh one
            }
        }
        final byte[] unconsumed = new byte[ring.readableBytes()];
        ring.copyTo(ring.readPosition(), new UnsafeBuffer(unconsumed), 0, unconsumed.length);
        return new Result(out.drain(), out.closedWith(), out.closingAfterFlush(), messages, unconsumed);
    }

    /** @return all at once, one byte at a time, and every split into two */
    public static List<int[]> splits(final int length) {
        final List<int[]> splits = new ArrayList<>();
        splits.add(new int[] {length});
        final int[] single = new int[length];
        Arrays.fill(single, 1);
        splits.add(single);
        for (int cut = 1; cut < length; cut++) {
            splits.add(new int[] {cut, length - cut});
        }
        return splits;
    }

    public static byte[] ascii(final String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    public static String text(final byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static String describe(final int[] chunks) {
        return chunks.length > 4 ? chunks.length + " chunks" : Arrays.toString(chunks);
    }
}
