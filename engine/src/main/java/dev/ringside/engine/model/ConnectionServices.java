package dev.ringside.engine.model;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.ringside.engine.config.LoopConfig;
import dev.ringside.engine.counter.EngineCounter;
import dev.ringside.engine.protocol.CloseReason;
import dev.ringside.engine.protocol.Protocol;
import org.agrona.ErrorHandler;

/**
 * What every connection of one blocking server shares: the protocol and its session lock, the ring pool,
 * the counters, the error handler, the live-connection registry, and the count of open connections that the
 * acceptors check against the limit.
 */
final class ConnectionServices {
    final Protocol protocol;
    final SessionLock sessionLock;
    final RingPool rings;
    final ModelCounters counters;
    final ErrorHandler errors;
    final ThreadFactory writerThreads;
    final LiveConnections live = new LiveConnections();
    private final LoopConfig config;
    private final AtomicLong nextId = new AtomicLong();
    private final AtomicInteger open = new AtomicInteger();

    ConnectionServices(final Protocol protocol, final LoopConfig config, final RingPool rings,
        final ModelCounters counters, final ErrorHandler errors, final ThreadFactory writerThreads) {
        this.protocol = protocol;
        this.sessionLock = SessionLock.forProtocol(protocol);
        this.config = config;
        this.rings = rings;
        this.counters = counters;
        this.errors = errors;
        this.writerThreads = writerThreads;
    }

    /**
     * Admits an accepted socket if the limit allows, and registers it so shutdown can reach it; counts it
     * either way.
     *
     * @param channel the accepted socket
     * @param limit   most connections open at once (served or queued)
     * @return the connection to serve, or {@code null} when refused (the socket is already closed)
     */
    BlockingConnection admit(final SocketChannel channel, final int limit) {
        if (open.incrementAndGet() > limit) {
            open.decrementAndGet();
            counters.increment(EngineCounter.CONNECTIONS_REJECTED);
            closeQuietly(channel);
            return null;
        }
        final BlockingConnection connection = new BlockingConnection(this, channel, nextId.getAndIncrement());
        if (!live.add(connection)) {
            open.decrementAndGet();
            counters.increment(EngineCounter.CONNECTIONS_REJECTED); // accepted during shutdown
            closeQuietly(channel);
            return null;
        }
        counters.increment(EngineCounter.CONNECTIONS_ACCEPTED);
        counters.add(EngineCounter.CONNECTIONS_OPEN, 1);
        return connection;
    }

    /**
     * Accounts for an admitted connection that ended, served or not. Its last update to the counters, and
     * the last thing its thread does for the server: shutdown waits for every connection to get here.
     *
     * @param connection the connection
     * @param reason     why, or {@code null} when it could not be served (counted as rejected, not closed)
     */
    void onEnded(final BlockingConnection connection, final CloseReason reason) {
        open.decrementAndGet();
        counters.add(EngineCounter.CONNECTIONS_OPEN, -1);
        if (reason != null) {
            counters.closed(reason);
        } else {
            counters.increment(EngineCounter.CONNECTIONS_REJECTED);
        }
        live.remove(connection);
    }

    /**
     * Applies the socket options the selector loop applies to its connections.
     *
     * @param channel an accepted socket, still blocking
     * @throws IOException when an option cannot be set
     */
    void configure(final SocketChannel channel) throws IOException {
        channel.setOption(StandardSocketOptions.TCP_NODELAY, Boolean.TRUE);
        if (config.socketSendBufferBytes() > 0) {
            channel.setOption(StandardSocketOptions.SO_SNDBUF, config.socketSendBufferBytes());
        }
        if (config.socketReceiveBufferBytes() > 0) {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, config.socketReceiveBufferBytes());
        }
    }

    /**
     * Reports an unexpected exception: counted, and printed by the server's error handler.
     *
     * @param ex what happened
     */
    void onHandlerError(final Exception ex) {
        counters.increment(EngineCounter.HANDLER_ERRORS);
        errors.onError(ex);
    }

    /** @return connections admitted and not yet ended */
    int openConnections() {
        return open.get();
    }

    static void closeQuietly(final java.nio.channels.Channel channel) {
        try {
            channel.close();
        } catch (final IOException ex) {
            // nothing more to do for a socket being dropped
        }
    }
}
