package dev.ringside.engine.model;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.locks.LockSupport;

import dev.ringside.engine.counter.EngineCounter;
import dev.ringside.engine.endpoint.AddressFamily;
import dev.ringside.engine.endpoint.SocketErrors;

/**
 * A blocking TCP listener and the thread loop that accepts from it: admit within the limit, then hand the
 * connection to the model's {@link Dispatcher}. Past the limit a connection is accepted and closed at once,
 * counted as rejected, as the selector's acceptor does. Out of file descriptors, it pauses for the back-off
 * period and counts it: a blocking thread has no timer wheel, and parking for the period is the same policy.
 */
final class BlockingAcceptor implements Runnable {
    /** The selector's acceptor uses the same backlog, so clients queue alike in front of every model. */
    private static final int BACKLOG = 4096;

    private final ServerSocketChannel server;
    private final InetSocketAddress localAddress;
    private final ConnectionServices services;
    private final Dispatcher dispatcher;
    private final int limit;
    private final long backoffNs;

    private BlockingAcceptor(final ServerSocketChannel server, final ConnectionServices services,
        final Dispatcher dispatcher, final int limit, final long backoffNs) throws IOException {
        this.server = server;
        this.localAddress = (InetSocketAddress) server.getLocalAddress();
        this.services = services;
        this.dispatcher = dispatcher;
        this.limit = limit;
        this.backoffNs = backoffNs;
    }

    /**
     * Binds and listens (blocking mode).
     *
     * @param address    where; port 0 picks one
     * @param reusePort  set {@code SO_REUSEPORT} so other processes can listen on the same port
     * @param services   what connections share
     * @param dispatcher the model
     * @param limit      most connections open at once
     * @param backoffNs  pause after running out of file descriptors
     * @return the listener
     * @throws IOException when the address cannot be bound
     */
    static BlockingAcceptor open(final InetSocketAddress address, final boolean reusePort,
        final ConnectionServices services, final Dispatcher dispatcher, final int limit, final long backoffNs)
        throws IOException {
        // The address's own family, as the selector loop's acceptor does (AddressFamily says why).
        final ServerSocketChannel server = ServerSocketChannel.open(AddressFamily.of(address));
        try {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, Boolean.TRUE);
            if (reusePort) {
                server.setOption(StandardSocketOptions.SO_REUSEPORT, Boolean.TRUE);
            }
            server.bind(address, BACKLOG);
            return new BlockingAcceptor(server, services, dispatcher, limit, backoffNs);
        } catch (final IOException | RuntimeException ex) {
            server.close();
            throw ex;
        }
    }

    @Override
    public void run() {
        while (true) {
            final SocketChannel channel;
            try {
                channel = server.accept();
            } catch (final ClosedChannelException ex) {
                return; // closed by shutdown (AsynchronousCloseException is one of these)
            } catch (final IOException ex) {
                if (SocketErrors.isOutOfFileDescriptors(ex)) {
                    services.counters.increment(EngineCounter.ACCEPT_BACKOFFS);
                    LockSupport.parkNanos(backoffNs);
                } else {
                    services.onHandlerError(ex);
                }
                continue;
            }
            final BlockingConnection connection = services.admit(channel, limit);
            if (connection != null) {
                dispatcher.dispatch(connection);
            }
        }
    }

    /** @return the bound address */
    InetSocketAddress localAddress() {
        return localAddress;
    }

    /** Stops listening; the accepting thread returns. */
    void close() {
        ConnectionServices.closeQuietly(server);
    }
}
