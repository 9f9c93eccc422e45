package dev.ringside.engine.model;

import java.io.IOException;
import java.nio.channels.SocketChannel;

import dev.ringside.engine.buffer.ByteRing;
import dev.ringside.engine.counter.EngineCounter;
import dev.ringside.engine.endpoint.SocketErrors;
import dev.ringside.engine.protocol.CloseReason;
import dev.ringside.engine.protocol.Protocol;
import dev.ringside.engine.protocol.Session;
import dev.ringside.engine.protocol.SessionContext;

/**
 * One TCP connection served with blocking I/O by the thread that calls {@link #serve()}: read into the
 * inbound ring, hand the bytes to the protocol session, send its output, repeat until the connection ends —
 * the classic per-connection loop, around the same {@link Session} the selector loop drives.
 *
 * <p>Life: <em>serving</em> (reading, delivering, sending) → <em>ending</em> (the peer closed, an error, the
 * session or the server asked, or another thread closed the output) → <em>closed</em> (counted once, under
 * the first reason; session told; rings returned). Unlike the loop, a blocking connection holds an inbound
 * ring for its whole life: its thread sits in {@code read} with that ring as the destination.
 *
 * <p>Rings: a protocol that writes output of its own ({@link Protocol#writesOwnOutput()}: echo, rr, http...) gets
 * both rings at full size up front, as admission reserved them. One that does not (chat: a member is sent its
 * room's broadcast ring) gets one inbound ring of the smallest size and no outbound ring; the inbound ring
 * doubles while a line needs it and goes back to the smallest size once empty, as on the loop. A line that
 * needs a larger ring than the pool can give closes that member ({@link CloseReason#SHED_POOL_LOW}), counted:
 * a blocked thread has no loop to wait in.
 *
 * <p>The same limits as on the loop: a session that cannot consume a full inbound ring while nothing waits
 * to be sent has a frame larger than the ring ({@link CloseReason#FRAME_TOO_LARGE}); end of stream with a
 * partial frame is {@link CloseReason#EOF_MID_FRAME}; a half-close with output owed sends it first.
 */
final class BlockingConnection {
    private final ConnectionServices services;
    private final SocketChannel channel;
    private final long id;
    private volatile BlockingOutbound outbound;
    private volatile boolean shutdownRequested;
    private volatile CloseReason closeRequested;
    /** The inbound ring's lease; replaced when the ring grows or shrinks (only this connection's thread). */
    private RingPool.Lease inboundLease;

    BlockingConnection(final ConnectionServices services, final SocketChannel channel, final long id) {
        this.services = services;
        this.channel = channel;
        this.id = id;
    }

    /** Serves the connection on this thread until it closes; failures close it and are counted, never thrown. */
    void serve() {
        final boolean ownOutput = services.protocol.writesOwnOutput();
        inboundLease = ownOutput ? services.rings.lease() : services.rings.lease(services.rings.smallestBytes());
        final RingPool.Lease outboundLease = inboundLease == null || !ownOutput ? null : services.rings.lease();
        if (inboundLease == null || ownOutput && outboundLease == null) {
            // The acceptors' limit keeps connections within the pool, so this is a defect, reported as one.
            if (inboundLease != null) {
                services.rings.release(inboundLease);
            }
            services.onHandlerError(new IllegalStateException("ring pool exhausted despite the connection limit"));
            ConnectionServices.closeQuietly(channel);
            services.onEnded(this, null);
            return;
        }
        services.counters.add(ModelCounter.THREADS_SERVING, 1);
        final BlockingOutbound out = new BlockingOutbound(channel, outboundLease, services.rings, services.counters,
            Thread.currentThread(), services.writerThreads);
        outbound = out;
        // Shutdown may have reached this connection before it had an outbound: act on it now (both fields are
        // volatile, so either shutdown sees the outbound or this thread sees the request).
        if (closeRequested != null) {
            out.close(closeRequested);
        } else if (shutdownRequested) {
            out.requestShutdown();
        }
        Session session = null;
        CloseReason reason;
        try {
            services.configure(channel);
            session = open(out);
            if (session == null) {
                reason = CloseReason.HANDLER_ERROR;
            } else if (!out.send()) {
                // What the session wrote on opening (chat's welcome) goes out now, not after the peer first speaks.
                reason = out.closeReason();
            } else {
                reason = run(session, out);
            }
        } catch (final IOException ex) {
            reason = SocketErrors.reasonForIo(ex);
        }
        out.close(reason); // the first reason stands: another thread may have closed it already
        out.joinWriter();
        final CloseReason finalReason = out.closeReason();
        if (session != null) {
            notifyClosed(session, finalReason);
        }
        services.rings.release(inboundLease);
        final RingPool.Lease outputRing = out.leaseToRelease();
        if (outputRing != null) {
            services.rings.release(outputRing);
        }
        services.counters.add(ModelCounter.THREADS_SERVING, -1);
        services.onEnded(this, finalReason); // last: shutdown waits for this
    }

    /**
     * Closes a connection that was admitted but never served (it was still queued when the server stopped).
     *
     * @param reason counted for it
     */
    void closeUnserved(final CloseReason reason) {
        ConnectionServices.closeQuietly(channel);
        services.onEnded(this, reason);
    }

    private Session open(final BlockingOutbound out) {
        final SessionContext context = new SessionContext(id, address(true), address(false));
        services.sessionLock.enter();
        try {
            final Session session = services.protocol.newSession(context);
            session.onOpen(out);
            return session;
        } catch (final RuntimeException ex) {
            services.onHandlerError(ex);
            return null;
        } finally {
            services.sessionLock.exit();
        }
    }

    /** The read, deliver, send loop. */
    private CloseReason run(final Session session, final BlockingOutbound out) throws IOException {
        while (true) {
            final ByteRing inbound = inboundLease.ring;
            final int read = inbound.readFrom(channel);
            if (read < 0) {
                return onEndOfStream(inbound, out);
            }
            if (read == 0 && inbound.isFull()) {
                return CloseReason.FRAME_TOO_LARGE; // a full ring is grown or closed after deliver(): defensive
            }
            services.counters.add(EngineCounter.BYTES_IN, read);
            final CloseReason reason = deliver(session, inbound, out);
            if (reason != null) {
                return reason;
            }
            if (inbound.isFull()) {
                // deliver() leaves a full ring only when it may still grow: a line longer than the ring so far.
                if (!resizeInbound(inbound.capacity() << 1)) {
                    return CloseReason.SHED_POOL_LOW;
                }
            } else if (inbound.isEmpty() && inbound.capacity() > services.rings.smallestBytes()
                && !services.protocol.writesOwnOutput()) {
                resizeInbound(services.rings.smallestBytes()); // nothing held: give the larger ring back
            }
        }
    }

    /**
     * Moves the inbound bytes to a ring of another size and returns the old one; false (nothing changed) when
     * the pool has no ring of that size.
     */
    private boolean resizeInbound(final int bytes) {
        final RingPool.Lease resized = services.rings.lease(bytes);
        if (resized == null) {
            return false;
        }
        final ByteRing old = inboundLease.ring;
        resized.ring.write(old, old.readPosition(), old.readableBytes());
        services.rings.release(inboundLease);
        inboundLease = resized;
        return true;
    }

    /**
     * Offers the inbound bytes to the session and sends its output, again while it makes progress (echo stops
     * when its output is full and goes on once it is sent).
     *
     * @return a reason to close, or {@code null} to read more
     */
    private CloseReason deliver(final Session session, final ByteRing inbound, final BlockingOutbound out)
        throws IOException {
        while (true) {
            final long before = inbound.readPosition();
            final int messages;
            services.sessionLock.enter();
            try {
                messages = session.onData(inbound, out);
            } catch (final RuntimeException ex) {
                services.onHandlerError(ex);
                return CloseReason.HANDLER_ERROR;
            } finally {
                services.sessionLock.exit();
            }
            if (messages > 0) {
                services.counters.add(EngineCounter.MESSAGES_IN, messages);
            }
            if (!out.send()) {
                return out.closeReason();
            }
            if (out.isCloseAfterFlushRequested()) {
                return out.closeAfterFlushReason();
            }
            if (inbound.isEmpty()) {
                return null;
            }
            if (inbound.readPosition() == before) {
                // No progress with all output sent: the session waits for more input, unless the ring is full,
                // in which case the frame needs a larger ring, or can never fit in the largest.
                if (!inbound.isFull()) {
                    return null;
                }
                return inbound.capacity() < services.rings.largestBytes() ? null : CloseReason.FRAME_TOO_LARGE;
            }
        }
    }

    private CloseReason onEndOfStream(final ByteRing inbound, final BlockingOutbound out) throws IOException {
        final CloseReason reason;
        if (out.isShutdownRequested()) {
            reason = CloseReason.SHUTDOWN;
        } else if (out.isCloseAfterFlushRequested()) {
            reason = out.closeAfterFlushReason();
        } else {
            reason = inbound.isEmpty() ? CloseReason.PEER_CLOSED : CloseReason.EOF_MID_FRAME;
        }
        if (reason != CloseReason.EOF_MID_FRAME) {
            out.send(); // the peer may only have half-closed: send what it is owed, as the loop does
        }
        return reason;
    }

    private void notifyClosed(final Session session, final CloseReason reason) {
        services.sessionLock.enter();
        try {
            session.onClose(reason);
        } catch (final RuntimeException ex) {
            services.onHandlerError(ex);
        } finally {
            services.sessionLock.exit();
        }
    }

    private String address(final boolean remote) {
        try {
            return SocketErrors.format(remote ? channel.getRemoteAddress() : channel.getLocalAddress());
        } catch (final IOException ex) {
            return "?";
        }
    }

    /** Server shutdown: finish after sending what is owed. */
    void requestShutdown() {
        shutdownRequested = true;
        final BlockingOutbound out = outbound;
        if (out != null) {
            out.requestShutdown();
        }
    }

    /**
     * Closes now, from any thread.
     *
     * @param reason counted unless another reason came first
     */
    void close(final CloseReason reason) {
        closeRequested = reason;
        final BlockingOutbound out = outbound;
        if (out != null) {
            out.close(reason);
        }
    }
}
