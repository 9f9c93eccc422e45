package dev.ringside.engine.buffer;

import java.nio.ByteBuffer;

import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One writer's records, read by any number of {@link BroadcastReader}s, each at its own position: a message is
 * written once however many read it (the design of Aeron's broadcast buffer and LMAX's ring, without their
 * loss: the writer never overwrites bytes a reader still needs; whoever owns the readers decides what to do
 * with one that holds the writer up).
 *
 * <p><b>Records.</b> {@code [length:int][address:int][payload][padding to 8]}, at 8-byte aligned positions, so
 * a header never straddles the end of the ring. A payload is contiguous: a record that would cross the end is
 * preceded by a padding record that fills the rest of the ring. The address says who reads it: {@link #TO_ALL},
 * a reader's id (that reader only) or {@link #allBut} a reader's id (everyone else: a chat line is not sent back
 * to its sender).
 *
 * <p><b>Positions.</b> As in {@link ByteRing}: ever-growing {@code long}s, index {@code position & mask}. The
 * head is where the next record goes; bytes from the oldest reader's position up to the head are live, the rest
 * is free. The writer asks {@link #spaceNeeded} and checks it against the oldest reader before it appends.
 *
 * <p><b>Threads.</b> One thread writes at a time. Readers may run on other threads (the blocking server models
 * send from each connection's thread): the head is published after the record's bytes, and a reader publishes
 * its position only after it is done with the bytes before it, so a writer that respects every reader's position
 * never writes under a reader (see {@link BroadcastReader}). On the selector loop all of it is one thread.
 */
public final class BroadcastRing {
    /** Address of a record every reader reads. */
    public static final int TO_ALL = 0;
    /** Bytes before a record's payload. */
    public static final int HEADER_BYTES = 8;
    /** Records start at multiples of this. */
    public static final int ALIGNMENT = 8;
    /** Address of a padding record, which nobody reads. */
    static final int PADDING = Integer.MIN_VALUE;
    static final int ADDRESS_OFFSET = 4;

    private final UnsafeBuffer buffer;
    private final int capacity;
    private final int mask;
    /** Published after each record's bytes: readers read nothing at or past it. */
    private volatile long head;
    private int nextId = 1;
    /** Each sending thread's views of the memory (the loop has one; blocking models one per sending thread). */
    private final ThreadLocal<BroadcastReader.Views> views;

    /**
     * A ring over memory of its own.
     *
     * @param capacityBytes a power of two, at least 64
     */
    public BroadcastRing(final int capacityBytes) {
        if (!BitUtil.isPowerOfTwo(capacityBytes) || capacityBytes < 64) {
            throw new IllegalArgumentException(
                "broadcast ring capacity must be a power of two of at least 64 bytes, got " + capacityBytes);
        }
        final ByteBuffer memory = ByteBuffer.allocateDirect(capacityBytes);
        this.buffer = new UnsafeBuffer(memory);
        this.capacity = capacityBytes;
        this.mask = capacityBytes - 1;
        this.views = ThreadLocal.withInitial(() -> new BroadcastReader.Views(memory));
    }

    /**
     * @param id a reader's id
     * @return the address of a record for every reader but that one
     */
    public static int allBut(final int id) {
        return -id;
    }

    /** @return the capacity in bytes */
    public int capacity() {
        return capacity;
    }

    /** @return where the next record goes; everything before it is published */
    public long head() {
        return head;
    }

    /**
     * The largest payload a record may carry: a quarter of the ring, so that one record, with the padding it may
     * need at the end of the ring, never costs more than half of it.
     *
     * @return bytes
     */
    public int maxPayloadBytes() {
        return capacity / 4 - HEADER_BYTES;
    }

    /**
     * A reader that starts at the head: it reads records appended from now on.
     *
     * @return the reader, with an id unique among this ring's readers
     */
    public BroadcastReader newReader() {
        final int id = nextId;
        // Ids wrap after 2^31 readers; a reader only ever meets records appended after it started, so an id can be
        // reused once its former owner is gone.
        nextId = id == Integer.MAX_VALUE ? 1 : id + 1;
        return new BroadcastReader(this, id, head);
    }

    /**
     * @param length a payload's bytes
     * @return ring bytes that appending it now takes, with the padding record it needs at the end of the ring
     */
    public int spaceNeeded(final int length) {
        final int recordBytes = align(HEADER_BYTES + length);
        final int index = (int) head & mask;
        final int toEnd = capacity - index;
        return recordBytes <= toEnd ? recordBytes : toEnd + recordBytes;
    }

    /**
     * Appends a record whose payload is in a buffer. The caller has made room: no reader is more than
     * {@code capacity - spaceNeeded(length)} behind the head.
     *
     * @param address who reads it
     * @param src     the payload's buffer
     * @param offset  its offset
     * @param length  its bytes, at most {@link #maxPayloadBytes()}
     */
    public void append(final int address, final DirectBuffer src, final int offset, final int length) {
        final int index = claim(length);
        buffer.putBytes(index + HEADER_BYTES, src, offset, length);
        publish(index, address, length);
    }

    /**
     * Appends a record whose payload is in a byte ring (a connection's inbound ring), which is not consumed.
     *
     * @param address  who reads it
     * @param src      the ring
     * @param position the payload's first byte in it
     * @param length   its bytes, at most {@link #maxPayloadBytes()}
     */
    public void append(final int address, final ByteRing src, final long position, final int length) {
        final int index = claim(length);
        src.copyTo(position, buffer, index + HEADER_BYTES, length);
        publish(index, address, length);
    }

    /** Pads to the end of the ring when the record would cross it; returns the record's index. */
    private int claim(final int length) {
        if (length < 0 || length > maxPayloadBytes()) {
            throw new IllegalArgumentException("a broadcast record carries 0 to " + maxPayloadBytes()
                + " bytes, got " + length);
        }
        final long position = head;
        final int index = (int) position & mask;
        final int toEnd = capacity - index;
        if (align(HEADER_BYTES + length) > toEnd) {
            buffer.putInt(index + ADDRESS_OFFSET, PADDING);
            buffer.putInt(index, toEnd - HEADER_BYTES);
            head = position + toEnd; // readers may skip the padding at once
            return 0;
        }
        return index;
    }

    private void publish(final int index, final int address, final int length) {
        buffer.putInt(index, length);
        buffer.putInt(index + ADDRESS_OFFSET, address);
        // The volatile write orders the record's bytes before the head that makes them visible to readers.
        head = head + align(HEADER_BYTES + length);
    }

    /** @return a record's payload length (padding: the bytes it fills after its header) */
    int lengthAt(final long position) {
        return buffer.getInt((int) position & mask);
    }

    /** @return a record's address */
    int addressAt(final long position) {
        return buffer.getInt(((int) position & mask) + ADDRESS_OFFSET);
    }

    /** @return the index of a record's payload */
    int payloadIndex(final long position) {
        return ((int) position & mask) + HEADER_BYTES;
    }

    /** @return this thread's views of the memory, made on its first send */
    BroadcastReader.Views views() {
        return views.get();
    }

    UnsafeBuffer buffer() {
        return buffer;
    }

    /**
     * @param recordPosition a record's position
     * @return the position of the record after it
     */
    long next(final long recordPosition) {
        return recordPosition + align(HEADER_BYTES + lengthAt(recordPosition));
    }

    static int align(final int bytes) {
        return (bytes + ALIGNMENT - 1) & -ALIGNMENT;
    }
}
