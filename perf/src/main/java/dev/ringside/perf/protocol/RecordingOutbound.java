package dev.ringside.perf.protocol;

import dev.ringside.engine.buffer.BroadcastReader;
import dev.ringside.engine.buffer.ByteRing;
import dev.ringside.engine.protocol.CloseReason;
import dev.ringside.engine.protocol.Outbound;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * An {@link Outbound} that appends to a ring of its own and counts messages and closes, as a connection
 * would, but never touches a socket: a decoder benchmark measures the session alone. The benchmark drains it
 * with {@link #drain()} after each operation, so it never fills. A followed broadcast ring (chat) is drained by
 * copying its payloads out, as a socket write would.
 */
public final class RecordingOutbound implements Outbound {
    private final ByteRing ring;
    private final UnsafeBuffer sink;
    private BroadcastReader feed;
    private long messages;
    private long closes;

    /**
     * Creates an outbound with its own ring.
     *
     * @param capacityBytes ring capacity, a power of two
     */
    public RecordingOutbound(final int capacityBytes) {
        this.ring = ByteRing.allocate(capacityBytes);
        this.sink = new UnsafeBuffer(new byte[capacityBytes]);
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public int writableBytes() {
        return ring.writableBytes();
    }

    @Override
    public boolean write(final DirectBuffer src, final int offset, final int length) {
        if (ring.write(src, offset, length)) {
            messages++;
            return true;
        }
        return false;
    }

    @Override
    public boolean write(final ByteRing src, final long position, final int length) {
        if (ring.write(src, position, length)) {
            messages++;
            return true;
        }
        return false;
    }

    @Override
    public void follow(final BroadcastReader reader) {
        feed = reader;
    }

    @Override
    public void onBroadcast() {
        messages++;
    }

    @Override
    public long catchUp() {
        if (feed == null) {
            return Long.MAX_VALUE;
        }
        drainFeed();
        return feed.position();
    }

    @Override
    public void close(final CloseReason reason) {
        closes++;
    }

    @Override
    public void closeAfterFlush(final CloseReason reason) {
        closes++;
    }

    /**
     * Forgets what was written, as a flush that sent it all would.
     *
     * @return bytes that had been written since the last drain
     */
    public int drain() {
        final int bytes = ring.readableBytes();
        ring.consume(bytes);
        return bytes + drainFeed();
    }

    private int drainFeed() {
        int bytes = 0;
        if (feed != null) {
            for (int copied = feed.copyTo(sink, 0, sink.capacity()); copied > 0;
                copied = feed.copyTo(sink, 0, sink.capacity())) {
                bytes += copied;
            }
        }
        return bytes;
    }

    /** @return messages written so far */
    public long messages() {
        return messages;
    }

    /** @return closes requested so far (a benchmark that sees one has fed malformed input) */
    public long closes() {
        return closes;
    }
}
