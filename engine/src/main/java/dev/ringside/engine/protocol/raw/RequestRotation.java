package dev.ringside.engine.protocol.raw;

import java.util.List;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Requests encoded once at start-up and sent round-robin: request {@code seq} is number
 * {@code seq % count}. Sending one is a single copy, so the hot path neither encodes nor allocates.
 * Immutable and shared by every connection.
 */
public final class RequestRotation {
    private final UnsafeBuffer bytes;
    private final int[] offsets;
    private final int[] lengths;
    private final int maxLength;

    /**
     * @param requests each request's wire bytes, at least one, none empty
     */
    public RequestRotation(final List<byte[]> requests) {
        if (requests.isEmpty()) {
            throw new IllegalArgumentException("at least one request is needed");
        }
        offsets = new int[requests.size()];
        lengths = new int[requests.size()];
        long total = 0;
        int longest = 0;
        for (int i = 0; i < requests.size(); i++) {
            final int length = requests.get(i).length;
            if (length == 0) {
                throw new IllegalArgumentException("request " + (i + 1) + " is empty");
            }
            offsets[i] = (int) total;
            lengths[i] = length;
            total += length;
            longest = Math.max(longest, length);
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("the requests add up to " + total + " bytes; too many");
        }
        bytes = new UnsafeBuffer(new byte[(int) total]);
        for (int i = 0; i < requests.size(); i++) {
            bytes.putBytes(offsets[i], requests.get(i));
        }
        maxLength = longest;
    }

    /** @return how many distinct requests are sent in turn */
    public int count() {
        return offsets.length;
    }

    /** @return the longest request, in bytes */
    public int maxRequestBytes() {
        return maxLength;
    }

    /**
     * Writes request {@code seq % count()} at offset 0.
     *
     * @param buffer where, at least {@link #maxRequestBytes()} long
     * @param seq    the request's sequence number on its connection
     * @return its length
     */
    public int write(final MutableDirectBuffer buffer, final long seq) {
        final int i = (int) Long.remainderUnsigned(seq, offsets.length);
        buffer.putBytes(0, bytes, offsets[i], lengths[i]);
        return lengths[i];
    }
}
