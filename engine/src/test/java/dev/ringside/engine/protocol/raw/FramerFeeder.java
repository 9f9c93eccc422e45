package dev.ringside.engine.protocol.raw;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import dev.ringside.engine.buffer.ByteRing;
import dev.ringside.engine.testing.Feeder;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Feeds a reply stream to a {@link ReplyFramer} the way a client connection does (one call per read, until
 * it needs more), with the input split at every boundary as {@link Feeder} does for sessions, and with the
 * ring both fresh and positioned so the input wraps around its end; an emptied ring is replaced by a fresh
 * one, so a framer that remembers ring positions across reads gets caught. Every split must give the same
 * outcome at the same stream offsets.
 */
public final class FramerFeeder {
    private static final int RING_BYTES = 1024;

    private FramerFeeder() {
    }

    /**
     * Frames the input at every split and checks the outcome.
     *
     * @param framers  makes a fresh framer per run
     * @param input    the reply stream
     * @param expected outcomes in order, each {@code R@offset} (reply ending there), {@code E@offset} (error
     *                 reply) or {@code M@offset} (malformed, detected after consuming up to there)
     */
    public static void assertFrames(final Supplier<ReplyFramer> framers, final byte[] input,
        final String... expected) {
        for (final int[] chunks : Feeder.splits(input.length)) {
            for (final int wrapOffset : new int[] {0, RING_BYTES - 3}) {
                assertEquals(List.of(expected), feed(framers.get(), input, chunks, wrapOffset),
                    "chunks " + (chunks.length > 4 ? chunks.length + " pieces" : Arrays.toString(chunks))
                        + ", wrap offset " + wrapOffset);
            }
        }
    }

    /**
     * Frames the input in the given pieces.
     *
     * @return outcomes as in {@link #assertFrames}
     */
    public static List<String> feed(final ReplyFramer framer, final byte[] input, final int[] chunks,
        final int wrapOffset) {
        final List<String> outcomes = new ArrayList<>();
        ByteRing ring = ByteRing.allocate(RING_BYTES);
        if (wrapOffset > 0) {
            ring.write(new UnsafeBuffer(new byte[wrapOffset]), 0, wrapOffset);
            ring.consume(wrapOffset);
        }
        final UnsafeBuffer source = new UnsafeBuffer(input);
        int offset = 0;
        long consumedBefore = 0;
        for (final int chunk : chunks) {
            if (!ring.write(source, offset, chunk)) {
                throw new AssertionError("test input overflows the ring: the framer kept too much");
            }
            offset += chunk;
            final long ringStart = ring.readPosition();
            while (true) {
                final int result = framer.next(ring);
                final long at = consumedBefore + ring.readPosition() - ringStart;
                if (result == ReplyFramer.NEED_MORE) {
                    assertEquals(0, ring.readableBytes(), "a framer needing more consumes every byte it saw");
                    break;
                }
                outcomes.add(label(result) + "@" + at);
                if (result == ReplyFramer.MALFORMED) {
                    return outcomes;
                }
            }
            consumedBefore += ring.readPosition() - ringStart;
            if (ring.isEmpty()) {
                ring = ByteRing.allocate(RING_BYTES); // as the engine does: an empty ring goes back to the pool
            }
        }
        return outcomes;
    }

    /**
     * Frames a long input in pieces of at most {@code pieceBytes}.
     *
     * @return outcomes as in {@link #assertFrames}
     */
    public static List<String> inPieces(final ReplyFramer framer, final byte[] input, final int pieceBytes) {
        final int[] chunks = new int[(input.length + pieceBytes - 1) / pieceBytes];
        Arrays.fill(chunks, pieceBytes);
        chunks[chunks.length - 1] = input.length - pieceBytes * (chunks.length - 1);
        return feed(framer, input, chunks, 0);
    }

    private static String label(final int result) {
        return switch (result) {
            case ReplyFramer.REPLY -> "R";
            case ReplyFramer.ERROR_REPLY -> "E";
            case ReplyFramer.MALFORMED -> "M";
            default -> "?" + result;
        };
    }

    /** @return the text's ISO-8859-1 bytes */
    public static byte[] bytes(final String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
