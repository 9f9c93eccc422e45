package dev.ringside.engine.model;

import java.io.IOException;
import java.nio.channels.SocketChannel;

import dev.ringside.engine.buffer.ByteRing;
import dev.ringside.engine.counter.EngineCounter;
import dev.ringside.engine.endpoint.SocketErrors;
import dev.ringside.engine.protocol.CloseReason;
import dev.ringside.engine.protocol.Session;
import dev.ringside.engine.protocol.SessionContext;

/**
 * One TCP connection served with blocking I/O by the thread that calls {@link #serve()}: read into the
 * inbound ring, hand the bytes to the protocol session, send its output, repeat until the connection ends —
 * the classic per-connection loop, around the same {@link Session} the selector loop drives.
 *
 * <p>Life: <em>serving</em> (reading, delivering, sending) → <em>ending</em> (the peer closed, an error, the
 * session or the server asked, or another thread closed the output) → <em>closed</em> (counted once, under
 * the first reason; session told; rings returned). Unlike the loop, a blocking connection holds both rings
 * for its whole life: its thread sits in {@code read} with the inbound ring as the destination.
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

    BlockingConnection(final ConnectionServices services, final SocketChannel channel, final long id) {
        this.services = services;
        this.channel = channel;
        this.id = id;
    }

    /** Serves the connection on this thread until it closes; failures close it and are counted, never thrown. */
    void serve() {
        final RingPool.Lease inboundLease = services.rings.lease();
        final RingPool.Lease outboundLease = inboundLease == null ? null : services.rings.lease();
        if (outboundLease == null) {
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
        final BlockingOutbound out = new BlockingOutbound(channel, outboundLease, services.counters,
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
                reason = run(session, inboundLease.ring, out);
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
        services.rings.release(outboundLease);
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
    private CloseReason run(final Session session, final ByteRing inbound, final BlockingOutbound out)
        throws IOException {
        while (true) {
            final int read = inbound.readFrom(channel);
            if (read < 0) {
                return onEndOfStream(inbound, out);
            }
            if (read == 0 && inbound.isFull()) {
                return CloseReason.FRAME_TOO_LARGE; // deliver() never leaves a full ring, so this is defensive
            }
            services.counters.add(EngineCounter.BYTES_IN, read);
            final CloseReason reason = deliver(session, inbound, out);
            if (reason != null) {
                return reason;
            }
        }
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
                // in which case the frame can never fit.
                return inbound.isFull() ? CloseReason.FRAME_TOO_LARGE : null;
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
