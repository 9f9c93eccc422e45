package dev.ringside.engine.buffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;

import org.agrona.MutableDirectBuffer;

/**
 * One reader's place in a {@link BroadcastRing}: the position of the next record it has not finished, and how
 * much of that record's payload it has sent. It reads only the records addressed to it (the ring's addresses)
 * and passes over the rest, so what it sends is the stream of its own payloads, back to back.
 *
 * <p>Sending is {@link #writeTo}: one gathering write of up to {@value #MAX_SEGMENTS} payloads straight from the
 * ring's memory (no copy per reader), at most a quarter of the ring, so the range a blocking send holds is
 * bounded. The position moves only after the write returned; that is what lets a writer on another thread reuse
 * everything before it.
 *
 * <p><b>Threads.</b> One thread at a time moves a reader (its owner's duty: the loop is one thread; a blocking
 * connection's send role is taken under its lock); any thread may read {@link #position()}. The view buffers a
 * gathering write needs are per sending thread, kept by the ring, so a reader itself holds no buffers and a
 * room of thousands of members costs a few fields per member.
 */
public final class BroadcastReader {
    /** Payloads per gathering write (well under the kernel's IOV_MAX of 1024). */
    static final int MAX_SEGMENTS = 64;

    private final BroadcastRing ring;
    private final int id;
    /** The next record not finished; published after the bytes before it are done with. */
    private volatile long position;
    /** Payload bytes of the record at {@code position} already sent. */
    private int sentInRecord;
    /** Records at or past this are not read (a draining connection sends what was there when it began). */
    private volatile long end = Long.MAX_VALUE;

    BroadcastReader(final BroadcastRing ring, final int id, final long position) {
        this.ring = ring;
        this.id = id;
        this.position = position;
    }

    /** @return this reader's id, for addressing records to it ({@link BroadcastRing#allBut} and the like) */
    public int id() {
        return id;
    }

    /** @return the ring it reads */
    public BroadcastRing ring() {
        return ring;
    }

    /** @return the oldest byte this reader may still read: the ring must not overwrite from here on */
    public long position() {
        return position;
    }

    /** @return ring bytes between this reader and the head (its lag, records for others included) */
    public long lag() {
        return ring.head() - position;
    }

    /** Reads nothing appended from now on: what is pending now is all that is left. */
    public void endAtHead() {
        end = ring.head();
    }

    private long limit() {
        return Math.min(ring.head(), end);
    }

    /**
     * @param address a record's address
     * @return whether this reader reads records with it
     */
    public boolean reads(final int address) {
        return address == BroadcastRing.TO_ALL || address == id
            || (address < 0 && address != BroadcastRing.PADDING && address != -id);
    }

    /**
     * Passes over records that are not for this reader (moving its position) and says whether any are left.
     *
     * @return whether payload bytes wait to be sent
     */
    public boolean hasPending() {
        if (sentInRecord > 0) {
            return true;
        }
        final long limit = limit();
        long p = position;
        while (p < limit && !reads(ring.addressAt(p))) {
            p = ring.next(p);
        }
        if (p != position) {
            position = p;
        }
        return p < limit;
    }

    /**
     * Sends pending payloads with one gathering write.
     *
     * @param channel where
     * @return bytes written
     * @throws IOException from the channel
     */
    public int writeTo(final GatheringByteChannel channel) throws IOException {
        if (!hasPending()) {
            return 0;
        }
        final Views views = ring.views();
        final long limit = limit();
        final int maxBytes = ring.capacity() / 4;
        int count = 0;
        int bytes = 0;
        long p = position;
        int skip = sentInRecord;
        while (p < limit && count < MAX_SEGMENTS && bytes < maxBytes) {
            final int length = ring.lengthAt(p);
            if (reads(ring.addressAt(p)) && length > skip) {
                final int from = ring.payloadIndex(p) + skip;
                final int n = Math.min(length - skip, maxBytes - bytes);
                views.at(count).limit(from + n).position(from);
                count++;
                bytes += n;
            }
            p = ring.next(p);
            skip = 0;
        }
        final long written = count == 1 ? channel.write(views.segments[0]) : channel.write(views.segments, 0, count);
        advance(written);
        return (int) written;
    }

    /**
     * Copies pending payloads out, as a socket would take them (protocol tests, benchmarks).
     *
     * @param dst      where
     * @param offset   from where in it
     * @param maxBytes at most this many
     * @return bytes copied
     */
    public int copyTo(final MutableDirectBuffer dst, final int offset, final int maxBytes) {
        final long limit = limit();
        int copied = 0;
        long p = position;
        int skip = sentInRecord;
        while (p < limit && copied < maxBytes) {
            final int length = ring.lengthAt(p);
            if (reads(ring.addressAt(p)) && length > skip) {
                final int n = Math.min(length - skip, maxBytes - copied);
                dst.putBytes(offset + copied, ring.buffer(), ring.payloadIndex(p) + skip, n);
                copied += n;
            }
            p = ring.next(p);
            skip = 0;
        }
        advance(copied);
        return copied;
    }

    /** Moves past {@code bytes} of payload sent, and past the records for others that follow them. */
    private void advance(final long bytes) {
        final long limit = limit();
        long left = bytes;
        long p = position;
        int sent = sentInRecord;
        while (p < limit) {
            if (!reads(ring.addressAt(p))) {
                p = ring.next(p);
                continue;
            }
            final int remaining = ring.lengthAt(p) - sent;
            if (left < remaining) {
                sent += (int) left;
                break;
            }
            left -= remaining;
            p = ring.next(p);
            sent = 0;
        }
        sentInRecord = sent;
        position = p; // last: the bytes before it are done with
    }

    @Override
    public String toString() {
        return "BroadcastReader{id=" + id + ", position=" + position + ", head=" + ring.head() + '}';
    }

    /**
     * A sending thread's views of one ring's memory, re-positioned for each gathering write; there are as many as
     * the most payloads one write has needed so far, up to {@value #MAX_SEGMENTS}.
     */
    static final class Views {
        private final ByteBuffer memory;
        ByteBuffer[] segments = new ByteBuffer[0];

        Views(final ByteBuffer memory) {
            this.memory = memory;
        }

        ByteBuffer at(final int index) {
            if (index == segments.length) {
                // Grows while warming up only: at most log2(MAX_SEGMENTS) times per thread.
                final ByteBuffer[] more = java.util.Arrays.copyOf(segments, Math.min(MAX_SEGMENTS,
                    Math.max(4, segments.length * 2)));
                for (int i = segments.length; i < more.length; i++) {
                    more[i] = memory.duplicate();
                }
                segments = more;
            }
            return segments[index];
        }
    }
}
