package dev.ringside.engine.buffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.ScatteringByteChannel;

import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A single-threaded byte ring over a slice of direct memory.
 *
 * <p>Positions are ever-growing {@code long}s; the index into memory is {@code position & mask}, so the
 * readable byte count is always {@code writePosition - readPosition} and wrap-around needs no special state.
 * Socket I/O moves both contiguous segments in one system call: {@link #readFrom} scatters into both free
 * segments and {@link #writeTo} gathers from both used segments.
 *
 * <p>Not thread-safe: a ring belongs to the loop thread that leased it.
 */
public final class ByteRing {
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    private final ByteBuffer memory;
    private final UnsafeBuffer view;
    private final int capacity;
    private final int mask;
    private final int slot;
    // Two pre-made views for scatter/gather: re-positioned per call, never allocated on the hot path.
    private final ByteBuffer first;
    private final ByteBuffer second;
    private final ByteBuffer[] segments;

    private long readPosition;
    private long writePosition;

    /**
     * Wraps {@code memory} (its whole remaining range) as an empty ring.
     *
     * @param memory direct memory whose remaining length is a power of two
     * @param slot   the owning pool's slot number, or -1 when the ring is not pooled
     */
    public ByteRing(final ByteBuffer memory, final int slot) {
        if (!memory.isDirect()) {
            throw new IllegalArgumentException("ring memory must be direct");
        }
        final int length = memory.remaining();
        if (!BitUtil.isPowerOfTwo(length)) {
            throw new IllegalArgumentException("ring capacity must be a power of two, got " + length);
        }
        this.memory = memory.slice();
        this.view = new UnsafeBuffer(this.memory);
        this.capacity = length;
        this.mask = length - 1;
        this.slot = slot;
        this.first = this.memory.duplicate();
        this.second = this.memory.duplicate();
        this.segments = new ByteBuffer[] {first, second};
    }

    /**
     * Allocates an unpooled ring of its own direct memory.
     *
     * @param capacityBytes a power of two
     * @return a new empty ring
     */
    public static ByteRing allocate(final int capacityBytes) {
        return new ByteRing(ByteBuffer.allocateDirect(capacityBytes), -1);
    }

    public int capacity() {
        return capacity;
    }

    int slot() {
        return slot;
    }

    public long readPosition() {
        return readPosition;
    }

    public long writePosition() {
        return writePosition;
    }

    public int readableBytes() {
        return (int) (writePosition - readPosition);
    }

    public int writableBytes() {
        return capacity - (int) (writePosition - readPosition);
    }

    public boolean isEmpty() {
        return writePosition == readPosition;
    }

    public boolean isFull() {
        return writePosition - readPosition == capacity;
    }

    /** Forgets all content; positions restart at zero. */
    public void clear() {
        readPosition = 0;
        writePosition = 0;
    }

    /**
     * Marks {@code length} readable bytes as consumed.
     *
     * @param length bytes to drop from the front, at most {@link #readableBytes()}
     */
    public void consume(final int length) {
        if (length < 0 || length > readableBytes()) {
            throw new IllegalArgumentException("consume " + length + " of " + readableBytes() + " readable");
        }
        readPosition += length;
    }

    /**
     * Reads the byte at an absolute position.
     *
     * @param position between {@link #readPosition()} (inclusive) and {@link #writePosition()} (exclusive)
     * @return the byte
     */
    public byte getByte(final long position) {
        return view.getByte((int) position & mask);
    }

    /**
     * Reads eight bytes as a little-endian {@code long} without consuming them, across the wrap if need be (the
     * generator compares its payload pattern a word at a time).
     *
     * @param position ring position of the first byte
     * @return the value; byte {@code position} is its lowest byte
     */
    public long getLongLittleEndian(final long position) {
        final int index = (int) position & mask;
        if (index + Long.BYTES <= capacity) {
            return view.getLong(index, ByteOrder.LITTLE_ENDIAN);
        }
        long value = 0;
        for (int i = Long.BYTES - 1; i >= 0; i--) {
            value = (value << 8) | (getByte(position + i) & 0xFF);
        }
        return value;
    }

    /**
     * Reads a big-endian int that may straddle the wrap point.
     *
     * @param position position of its first byte
     * @return the value
     */
    public int getIntBigEndian(final long position) {
        final int index = (int) position & mask;
        if (index + Integer.BYTES <= capacity) {
            return view.getInt(index, ByteOrder.BIG_ENDIAN);
        }
        int value = 0;
        for (int i = 0; i < Integer.BYTES; i++) {
            value = (value << 8) | (getByte(position + i) & 0xFF);
        }
        return value;
    }

    /**
     * Finds the first occurrence of a byte among readable bytes. Scans eight bytes per step (SWAR: a zero
     * byte in {@code word ^ pattern} marks a match) over each contiguous segment, then the tail byte by byte.
     *
     * @param value     the byte to look for
     * @param fromPosition where to start, at or after {@link #readPosition()}
     * @return its position, or -1 when not present before {@link #writePosition()}
     */
    public long indexOf(final byte value, final long fromPosition) {
        final long pattern = (value & 0xFFL) * ONES;
        long p = fromPosition;
        while (p < writePosition) {
            final int index = (int) p & mask;
            final int run = (int) Math.min(writePosition - p, capacity - index);
            int i = 0;
            for (; i + Long.BYTES <= run; i += Long.BYTES) {
                final long x = view.getLong(index + i, ByteOrder.LITTLE_ENDIAN) ^ pattern;
                // The lowest set high bit is exactly the first zero byte (borrows only flag bytes above it).
                final long zeros = (x - ONES) & ~x & HIGH_BITS;
                if (zeros != 0) {
                    return p + i + (Long.numberOfTrailingZeros(zeros) >>> 3);
                }
            }
            for (; i < run; i++) {
                if (view.getByte(index + i) == value) {
                    return p + i;
                }
            }
            p += run;
        }
        return -1;
    }

    /**
     * Appends bytes, all or nothing.
     *
     * @param src    source
     * @param offset offset in source
     * @param length byte count
     * @return false, with nothing written, when fewer than {@code length} bytes are free
     */
    public boolean write(final DirectBuffer src, final int offset, final int length) {
        if (length > writableBytes()) {
            return false;
        }
        final int index = (int) writePosition & mask;
        final int firstLength = Math.min(length, capacity - index);
        view.putBytes(index, src, offset, firstLength);
        if (firstLength < length) {
            view.putBytes(0, src, offset + firstLength, length - firstLength);
        }
        writePosition += length;
        return true;
    }

    /**
     * Appends bytes held in another ring, all or nothing; the source ring is not consumed.
     *
     * @param src         source ring
     * @param srcPosition absolute position of the first byte in {@code src}
     * @param length      byte count, all readable in {@code src}
     * @return false, with nothing written, when fewer than {@code length} bytes are free
     */
    public boolean write(final ByteRing src, final long srcPosition, final int length) {
        if (length > writableBytes()) {
            return false;
        }
        int remaining = length;
        long from = srcPosition;
        while (remaining > 0) {
            // Copy the largest run that is contiguous in both rings.
            final int srcIndex = (int) from & src.mask;
            final int dstIndex = (int) writePosition & mask;
            final int run = Math.min(remaining, Math.min(src.capacity - srcIndex, capacity - dstIndex));
            view.putBytes(dstIndex, src.view, srcIndex, run);
            writePosition += run;
            from += run;
            remaining -= run;
        }
        return true;
    }

    /**
     * Appends one byte.
     *
     * @param value the byte
     * @return false when the ring is full
     */
    public boolean writeByte(final byte value) {
        if (isFull()) {
            return false;
        }
        view.putByte((int) writePosition & mask, value);
        writePosition++;
        return true;
    }

    /**
     * Appends a big-endian int.
     *
     * @param value the value
     * @return false, with nothing written, when fewer than four bytes are free
     */
    public boolean writeIntBigEndian(final int value) {
        if (writableBytes() < Integer.BYTES) {
            return false;
        }
        for (int shift = 24; shift >= 0; shift -= 8) {
            view.putByte((int) writePosition & mask, (byte) (value >>> shift));
            writePosition++;
        }
        return true;
    }

    /**
     * Copies readable bytes out without consuming them.
     *
     * @param position  absolute position of the first byte
     * @param dst       destination
     * @param dstOffset offset in the destination
     * @param length    byte count
     */
    public void copyTo(final long position, final MutableDirectBuffer dst, final int dstOffset,
        final int length) {
        final int index = (int) position & mask;
        final int firstLength = Math.min(length, capacity - index);
        dst.putBytes(dstOffset, view, index, firstLength);
        if (firstLength < length) {
            dst.putBytes(dstOffset + firstLength, view, 0, length - firstLength);
        }
    }

    /**
     * Fills the free space from a channel with one (scattering) read.
     *
     * @param channel source channel
     * @return bytes read, 0 when the ring is full or nothing was ready, -1 at end of stream
     * @throws IOException from the channel
     */
    public int readFrom(final ScatteringByteChannel channel) throws IOException {
        final int free = writableBytes();
        if (free == 0) {
            return 0;
        }
        final int index = (int) writePosition & mask;
        final int firstLength = Math.min(free, capacity - index);
        first.clear().position(index).limit(index + firstLength);
        final long read;
        if (firstLength == free) {
            read = channel.read(first);
        } else {
            second.clear().limit(free - firstLength);
            read = channel.read(segments, 0, 2);
        }
        if (read > 0) {
            writePosition += read;
        }
        return (int) read;
    }

    /**
     * Drains readable bytes into a channel with one (gathering) write, consuming what was written.
     *
     * @param channel destination channel
     * @return bytes written
     * @throws IOException from the channel
     */
    public int writeTo(final GatheringByteChannel channel) throws IOException {
        final int used = readableBytes();
        if (used == 0) {
            return 0;
        }
        final int index = (int) readPosition & mask;
        final int firstLength = Math.min(used, capacity - index);
        first.clear().position(index).limit(index + firstLength);
        final long written;
        if (firstLength == used) {
            written = channel.write(first);
        } else {
            second.clear().limit(used - firstLength);
            written = channel.write(segments, 0, 2);
        }
        readPosition += written;
        return (int) written;
    }

    /**
     * A view of the readable bytes when they are contiguous, positioned for a single channel write or a
     * datagram send; callers that need both segments use {@link #writeTo}.
     *
     * @return a reusable view; valid until the next call on this ring
     */
    public ByteBuffer contiguousReadableView() {
        final int index = (int) readPosition & mask;
        final int firstLength = Math.min(readableBytes(), capacity - index);
        return first.clear().position(index).limit(index + firstLength);
    }

    @Override
    public String toString() {
        return "ByteRing{capacity=" + capacity + ", read=" + readPosition + ", write=" + writePosition + '}';
    }
}
