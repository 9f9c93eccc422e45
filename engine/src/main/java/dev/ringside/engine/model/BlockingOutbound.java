package dev.ringside.engine.model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import dev.ringside.engine.buffer.BroadcastReader;
import dev.ringside.engine.buffer.ByteRing;
import dev.ringside.engine.counter.EngineCounter;
import dev.ringside.engine.endpoint.SocketErrors;
import dev.ringside.engine.protocol.CloseReason;
import dev.ringside.engine.protocol.Outbound;
import org.agrona.DirectBuffer;

/**
 * The output of one blocking connection: an {@link Outbound} that any thread may write to, bounded by one
 * ring.
 *
 * <p>Writing: a session appends a message to the ring under this connection's lock, all or nothing; a write
 * never blocks and never queues beyond the ring. The ring is leased from the pool at the first write (or handed
 * over at construction): a protocol that writes nothing of its own (chat, whose members are sent the room's
 * broadcast ring) never holds one, so a blocking chat member costs one small inbound ring, not two. A full ring
 * makes the write fail at once, and the protocol
 * applies its policy — chat disconnects the subscriber that cannot keep up ({@link CloseReason#SLOW_CONSUMER}),
 * exactly as on the selector loop.
 *
 * <p>Sending ({@link #send()}): one thread at a time takes the sender role (a flag under the lock), notes the
 * readable range, and writes it to the blocking socket <em>outside</em> the lock, so a broadcaster is never
 * held up by a slow socket. That is safe because writers only append after the write position, into the free
 * part of the ring, while the sender reads the range before it; the sender consumes what was written under
 * the lock, and the lock orders every append before the send that follows it. The sender writes from views
 * of the ring's memory of its own, never through the ring's single-threaded I/O methods.
 *
 * <p>Who sends: the connection's own thread, after each session call, so request/response protocols need no
 * other thread. When a thread other than the owner writes (a chat broadcast), a writer thread is started for
 * this connection, once: with blocking I/O the owner may sit in {@code read} for ever, and a second thread is
 * the only way to send meanwhile.
 *
 * <p>A followed broadcast ring ({@link #follow}, a chat room's) is sent the same way, after the ring's own bytes:
 * the sender takes the role, passes over what is not for this connection and writes the rest straight from the
 * room's memory, outside the lock; the reader's position moves only after the write returned, so the room, which
 * never writes past a reader's position, never overwrites bytes being sent. The publisher wakes the connection
 * with {@link #onBroadcast()} (the writer thread, as for any write by another thread).
 *
 * <p>Closing ({@link #close}): from any thread; the first reason wins. The socket is closed at once, which
 * also wakes a thread blocked reading or writing it. The owner counts the close when its thread notices. A close
 * from a thread other than the sender waits until the send in flight has returned (promptly: its socket is
 * closed), so that a room that cuts a slow member may reuse its part of the ring as soon as close returns.
 */
final class BlockingOutbound implements Outbound {
    private final SocketChannel channel;
    private final RingPool pool;
    // Set once, under the lock, when the ring is leased; the sender reads them only after taking the role.
    private RingPool.Lease lease;
    private ByteRing ring;
    private int capacity;
    private int mask;
    // Views for the sender only; whoever holds the sender role re-positions them.
    private ByteBuffer first;
    private ByteBuffer second;
    private ByteBuffer[] segments;
    private final ModelCounters counters;
    private final Thread owner;
    private final ThreadFactory writerThreads;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when bytes are appended, sent, or the connection closes. */
    private final Condition changed = lock.newCondition();
    private volatile boolean open = true;
    // Guarded by lock.
    /** The thread that holds the sender role, or null. */
    private Thread sender;
    private BroadcastReader feed;
    private CloseReason closeReason;
    private boolean closeAfterFlush;
    private CloseReason closeAfterFlushReason = CloseReason.LOCAL_CLOSE;
    private boolean shutdownRequested;
    private Thread writer;

    /**
     * @param channel       the blocking socket
     * @param lease         the ring output collects in, and its memory; {@code null} to lease one from
     *                      {@code pool} at the first write
     * @param pool          where a ring is leased from when {@code lease} is null
     * @param counters      where bytes and messages are counted
     * @param owner         the thread that serves the connection
     * @param writerThreads makes the writer thread when another thread first writes
     */
    BlockingOutbound(final SocketChannel channel, final RingPool.Lease lease, final RingPool pool,
        final ModelCounters counters, final Thread owner, final ThreadFactory writerThreads) {
        this.channel = channel;
        this.pool = pool;
        if (lease != null) {
            take(lease);
        }
        this.counters = counters;
        this.owner = owner;
        this.writerThreads = writerThreads;
    }

    private void take(final RingPool.Lease taken) {
        lease = taken;
        ring = taken.ring;
        capacity = ring.capacity();
        mask = capacity - 1;
        first = taken.memory.duplicate();
        second = taken.memory.duplicate();
        segments = new ByteBuffer[] {first, second};
    }

    /** Under the lock: the ring, leased now if this is the first write; false when the pool has none. */
    private boolean hasRing() {
        if (ring == null) {
            final RingPool.Lease taken = pool.lease();
            if (taken == null) {
                return false; // to the protocol, as a full ring: its policy applies
            }
            take(taken);
        }
        return true;
    }

    /** After close, once no thread sends: the ring to return to the pool, or {@code null} if none was leased. */
    RingPool.Lease leaseToRelease() {
        lock.lock();
        try {
            return lease;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public int writableBytes() {
        lock.lock();
        try {
            if (!open) {
                return 0;
            }
            return ring == null ? pool.largestBytes() : ring.writableBytes();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean write(final DirectBuffer src, final int offset, final int length) {
        lock.lock();
        try {
            if (!open || !hasRing() || !ring.write(src, offset, length)) {
                return false;
            }
            afterWrite();
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean write(final ByteRing src, final long position, final int length) {
        lock.lock();
        try {
            if (!open || !hasRing() || !ring.write(src, position, length)) {
                return false;
            }
            afterWrite();
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void afterWrite() {
        counters.increment(EngineCounter.MESSAGES_OUT);
        if (Thread.currentThread() != owner) {
            // The owner sends its own output after the session returns; anyone else's needs the writer.
            if (writer == null) {
                writer = writerThreads.newThread(this::runWriter);
                writer.start();
            } else {
                changed.signalAll();
            }
        }
    }

    @Override
    public void follow(final BroadcastReader reader) {
        lock.lock();
        try {
            if (feed != null && feed != reader) {
                throw new IllegalStateException("a connection follows one broadcast ring");
            }
            feed = reader;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void onBroadcast() {
        lock.lock();
        try {
            if (open) {
                afterWrite();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long catchUp() {
        lock.lock();
        try {
            if (feed == null) {
                return Long.MAX_VALUE;
            }
            if (sender == null) {
                feed.hasPending(); // passes over records for others; nobody else moves the reader meanwhile
            }
            // A send in flight holds the reader where it began: those bytes are still being read.
            return feed.position();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close(final CloseReason reason) {
        lock.lock();
        try {
            if (closeReason == null) {
                closeReason = reason;
                open = false;
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
        try {
            channel.close(); // wakes a thread blocked in read or write with AsynchronousCloseException
        } catch (final IOException ex) {
            // closing is all we wanted; the reason is already recorded
        }
        awaitNoSend();
    }

    /** Waits until no other thread is sending (its write returns once the socket is closed). */
    private void awaitNoSend() {
        lock.lock();
        try {
            while (sender != null && sender != Thread.currentThread()) {
                changed.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void closeAfterFlush(final CloseReason reason) {
        lock.lock();
        try {
            if (!open) {
                return;
            }
            closeAfterFlush = true;
            closeAfterFlushReason = reason;
            if (feed != null) {
                feed.endAtHead();
            }
        } finally {
            lock.unlock();
        }
        if (Thread.currentThread() != owner) {
            wakeOwnerWithEndOfStream();
        }
    }

    /** Server shutdown: stop reading (the owner sees end of stream), send what is owed, then close. */
    void requestShutdown() {
        lock.lock();
        try {
            if (!open) {
                return;
            }
            shutdownRequested = true;
            if (feed != null) {
                feed.endAtHead(); // sends what was published before, not what comes after
            }
        } finally {
            lock.unlock();
        }
        wakeOwnerWithEndOfStream();
    }

    private void wakeOwnerWithEndOfStream() {
        try {
            // A thread blocked in read returns -1 at once; nothing else can wake it short of closing.
            channel.shutdownInput();
        } catch (final IOException ex) {
            close(SocketErrors.reasonForIo(ex));
        }
    }

    /**
     * Sends everything written so far, blocking until it is out (or another thread that holds the sender role
     * has sent it).
     *
     * @return false when the connection closed first
     * @throws IOException from the socket
     */
    boolean send() throws IOException {
        lock.lock();
        try {
            while (true) {
                if (closeReason != null) {
                    return false;
                }
                if (sender != null) {
                    changed.awaitUninterruptibly();
                    continue;
                }
                final boolean own = ring != null && !ring.isEmpty();
                if (!own && (feed == null || !feed.hasPending())) {
                    return true;
                }
                sender = Thread.currentThread();
                final long from = own ? ring.readPosition() : 0;
                final int length = own ? ring.readableBytes() : 0;
                int written = 0;
                lock.unlock();
                try {
                    // The connection's own bytes first; the followed ring's never overtake them.
                    written = own ? writeRange(from, length) : feed.writeTo(channel);
                } finally {
                    lock.lock();
                    sender = null;
                    if (own && written > 0) {
                        ring.consume(written);
                    }
                    changed.signalAll();
                }
                counters.add(EngineCounter.BYTES_OUT, written);
            }
        } finally {
            lock.unlock();
        }
    }

    /** One (gathering) blocking write of ring bytes {@code [from, from + length)}, without the lock. */
    private int writeRange(final long from, final int length) throws IOException {
        final int index = (int) from & mask;
        final int firstLength = Math.min(length, capacity - index);
        first.clear().position(index).limit(index + firstLength);
        if (firstLength == length) {
            return channel.write(first);
        }
        second.clear().limit(length - firstLength);
        return (int) channel.write(segments, 0, 2);
    }

    private void runWriter() {
        counters.add(ModelCounter.WRITER_THREADS, 1);
        try {
            while (awaitBytes()) {
                if (!send()) {
                    return;
                }
            }
        } catch (final IOException ex) {
            close(SocketErrors.reasonForIo(ex));
        } finally {
            counters.add(ModelCounter.WRITER_THREADS, -1);
        }
    }

    /** Writer thread: waits until there is something to send and nobody sending it; false once closed. */
    private boolean awaitBytes() {
        lock.lock();
        try {
            while (closeReason == null && (sender != null || (ownEmpty() && !feedPending()))) {
                changed.awaitUninterruptibly();
            }
            return closeReason == null;
        } finally {
            lock.unlock();
        }
    }

    /** @return whether the connection's own ring holds nothing to send (under the lock) */
    private boolean ownEmpty() {
        return ring == null || ring.isEmpty();
    }

    /** @return whether a followed ring holds bytes for this connection (under the lock, with no sender) */
    private boolean feedPending() {
        return feed != null && feed.hasPending();
    }

    /** After close: waits for the writer thread, if one was started, so the ring can be returned. */
    void joinWriter() {
        final Thread thread;
        lock.lock();
        try {
            thread = writer;
        } finally {
            lock.unlock();
        }
        if (thread == null) {
            return;
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (final InterruptedException ex) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return why it closed, or {@code null} while open */
    CloseReason closeReason() {
        lock.lock();
        try {
            return closeReason;
        } finally {
            lock.unlock();
        }
    }

    /** @return the reason the session gave for closing once its output is sent */
    CloseReason closeAfterFlushReason() {
        lock.lock();
        try {
            return closeAfterFlushReason;
        } finally {
            lock.unlock();
        }
    }

    /** @return whether the session asked to close once its output is sent */
    boolean isCloseAfterFlushRequested() {
        lock.lock();
        try {
            return closeAfterFlush;
        } finally {
            lock.unlock();
        }
    }

    /** @return whether the server asked this connection to finish */
    boolean isShutdownRequested() {
        lock.lock();
        try {
            return shutdownRequested;
        } finally {
            lock.unlock();
        }
    }
}
