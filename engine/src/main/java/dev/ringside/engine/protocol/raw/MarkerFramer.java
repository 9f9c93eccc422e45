package dev.ringside.engine.protocol.raw;

import dev.ringside.engine.buffer.ByteRing;

/**
 * A reply ends at the first occurrence of {@code --reply-until STR}. The search is incremental: it remembers
 * how much of the marker the last bytes matched (a Knuth-Morris-Pratt automaton, so a marker split across
 * reads, or overlapping itself as in {@code \r\n\r\n}, is found exactly once at its first end), and while
 * nothing is matched it skips to the next possible first byte with {@link ByteRing#indexOf}, which scans
 * eight bytes per step. Bytes are consumed as they are searched, so a reply of any length holds no memory.
 */
public final class MarkerFramer implements ReplyFramer {
    private final byte[] marker;
    private final int[] fallback;
    private int matched;

    /**
     * @param marker the bytes that end a reply, at least one
     */
    public MarkerFramer(final byte[] marker) {
        if (marker.length == 0) {
            throw new IllegalArgumentException("--reply-until must not be empty");
        }
        this.marker = marker.clone();
        this.fallback = fallbackTable(this.marker);
    }

    @Override
    public int next(final ByteRing inbound) {
        final byte first = marker[0];
        while (!inbound.isEmpty()) {
            if (matched == 0) {
                final long at = inbound.indexOf(first, inbound.readPosition());
                if (at < 0) {
                    inbound.consume(inbound.readableBytes());
                    return NEED_MORE;
                }
                inbound.consume((int) (at - inbound.readPosition()));
            }
            final byte b = inbound.getByte(inbound.readPosition());
            inbound.consume(1);
            while (matched > 0 && b != marker[matched]) {
                matched = fallback[matched - 1];
            }
            if (b == marker[matched]) {
                matched++;
            }
            if (matched == marker.length) {
                matched = 0;
                return REPLY;
            }
        }
        return NEED_MORE;
    }

    /** @return for each prefix length - 1, the length of its longest proper prefix that is also its suffix */
    private static int[] fallbackTable(final byte[] pattern) {
        final int[] table = new int[pattern.length];
        int k = 0;
        for (int i = 1; i < pattern.length; i++) {
            while (k > 0 && pattern[i] != pattern[k]) {
                k = table[k - 1];
            }
            if (pattern[i] == pattern[k]) {
                k++;
            }
            table[i] = k;
        }
        return table;
    }
}
