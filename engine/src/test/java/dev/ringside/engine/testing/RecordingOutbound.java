package dev.ringside.engine.testing;

import java.util.Arrays;

import dev.ringside.engine.buffer.BroadcastReader;
import dev.ringside.engine.buffer.ByteRing;
import dev.ringside.engine.protocol.CloseReason;
import dev.ringside.engine.protocol.Outbound;
import dev.ringside.engine.protocol.Session;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A hand-written {@link Outbound} for protocol tests: keeps what is written in a fixed buffer (no allocation
 * per write, so allocation tests can use it), refuses writes beyond its capacity as a full connection
 * would, and records how it was closed. Closing tells the owning session, as the engine does. A followed
 * broadcast ring (chat's room) is copied in as soon as it has something, as much as fits, as a socket with a
 * buffer of that capacity would take it; the rest stays behind in the ring until {@link #drain()} makes room.
 */
public final class RecordingOutbound implements Outbound {
    private final UnsafeBuffer bytes;
    private int used;
    private int writes;
    private CloseReason closedWith;
    private boolean closeAfterFlush;
    private Session owner;
    private BroadcastReader feed;

    public RecordingOutbound(final int capacityBytes) {
        this.bytes = new UnsafeBuffer(new byte[capacityBytes]);
    }

    /** Makes {@link #close} call the session's {@code onClose}, as a connection does. */
    public RecordingOutbound owner(final Session session) {
        this.owner = session;
        return this;
    }

    @Override
    public boolean isOpen() {
        return closedWith == null && !closeAfterFlush;
    }

    @Override
    public int writableBytes() {
        return isOpen() ? bytes.capacity() - used : 0;
    }

    @Override
    public boolean write(final DirectBuffer src, final int offset, final int length) {
        if (length > writableBytes()) {
            return false;
        }
        bytes.putBytes(used, src, offset, length);
        used += length;
        writes++;
        return true;
    }

    @Override
    public boolean write(final ByteRing src, final long position, final int length) {
        if (length > writableBytes()) {
            return false;
        }
        src.copyTo(position, bytes, used, length);
        used += length;
        writes++;
        return true;
    }

    @Override
    public void follow(final BroadcastReader reader) {
        feed = reader;
    }

    @Override
    public void onBroadcast() {
        writes++;
        receive();
    }

    @Override
    public long catchUp() {
        if (feed == null) {
            return Long.MAX_VALUE;
        }
        receive();
        return feed.position();
    }

    /** Takes what fits from the followed ring, as a socket would. */
    private void receive() {
        if (feed != null && closedWith == null) {
            used += feed.copyTo(bytes, used, bytes.capacity() - used);
        }
    }

    @Override
    public void close(final CloseReason reason) {
        if (closedWith != null) {
            return;
        }
        closedWith = reason;
        if (owner != null) {
            owner.onClose(reason);
        }
    }

    @Override
    public void closeAfterFlush(final CloseReason reason) {
        closeAfterFlush = true;
    }

    /** @return a copy of everything written since the last drain */
    public byte[] drain() {
        final byte[] copy = Arrays.copyOf(bytes.byteArray(), used);
        used = 0;
        receive();
        return copy;
    }

    /** Forgets what was written, without allocating. */
    public void discard() {
        used = 0;
        receive();
    }

    /** @return bytes written and not drained */
    public int usedBytes() {
        return used;
    }

    /** @return successful write calls */
    public int writes() {
        return writes;
    }

    /** @return the close reason, or {@code null} when not closed now */
    public CloseReason closedWith() {
        return closedWith;
    }

    /** @return whether the session asked to close after flushing */
    public boolean closingAfterFlush() {
        return closeAfterFlush;
    }
}
