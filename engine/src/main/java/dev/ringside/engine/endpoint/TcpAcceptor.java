package dev.ringside.engine.endpoint;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

import dev.ringside.engine.counter.EngineCounter;
import dev.ringside.engine.loop.EventLoop;
import dev.ringside.engine.loop.LoopResource;
import dev.ringside.engine.loop.SelectHandler;
import dev.ringside.engine.loop.TimerListener;
import dev.ringside.engine.protocol.CloseReason;
import dev.ringside.engine.protocol.Protocol;

/**
 * A TCP listener on an event loop.
 *
 * <p>Each readiness accepts at most {@code acceptBudget} connections, so a connection storm cannot starve
 * established peers (Redis accepts at most 1000 per event; wrk2 and Netty bound it likewise). Past
 * {@code maxConnections} a new connection is accepted and closed at once and counted as rejected: the client
 * sees a clear close instead of hanging in the backlog. When the process or system runs out of file
 * descriptors ({@code EMFILE}/{@code ENFILE}) the pending connection stays in the backlog, so a
 * level-triggered selector would report it again at once and the loop would spin; instead accepting pauses
 * (interest off) for the back-off period, on a timer, and the pause is counted.
 */
public final class TcpAcceptor extends LoopResource implements SelectHandler, TimerListener {
    private static final int BACKLOG = 4096;

    private final EventLoop loop;
    private final ServerSocketChannel server;
    private final SelectionKey key;
    private final Protocol protocol;
    private final ConnectionListener listener;
    private final ChannelAcceptor acceptor;
    private final InetSocketAddress localAddress;
    private long nextConnectionId;
    private boolean backingOff;
    private boolean closed;

    private TcpAcceptor(final EventLoop loop, final ServerSocketChannel server, final Protocol protocol,
        final ConnectionListener listener, final ChannelAcceptor acceptor) throws IOException {
        this.loop = loop;
        this.server = server;
        this.protocol = protocol;
        this.listener = listener;
        this.acceptor = acceptor;
        this.localAddress = (InetSocketAddress) server.getLocalAddress();
        this.key = server.register(loop.selector(), SelectionKey.OP_ACCEPT, this);
    }

    /**
     * Binds and starts listening (loop thread, or before the loop runs).
     *
     * @param loop     the owning loop
     * @param address  where to listen; port 0 picks a free port
     * @param protocol makes each connection's session
     * @param listener hears each connection's life
     * @return the listener
     * @throws IOException when the address cannot be bound (in use, not local)
     */
    public static TcpAcceptor open(final EventLoop loop, final InetSocketAddress address, final Protocol protocol,
        final ConnectionListener listener) throws IOException {
        return open(loop, address, protocol, listener, ChannelAcceptor.DIRECT, false);
    }

    /**
     * Binds and starts listening, with a chosen accept function and port sharing.
     *
     * @param loop      the owning loop
     * @param address   where to listen
     * @param protocol  makes each connection's session
     * @param listener  hears each connection's life
     * @param acceptor  how connections are taken from the kernel
     * @param reusePort whether to set {@code SO_REUSEPORT} so several processes or loops share the port
     * @return the listener
     * @throws IOException when the address cannot be bound
     */
    public static TcpAcceptor open(final EventLoop loop, final InetSocketAddress address, final Protocol protocol,
        final ConnectionListener listener, final ChannelAcceptor acceptor, final boolean reusePort)
        throws IOException {
        // The address's own family: AF_INET for an IPv4 address, not the JDK's dual-stack default (AddressFamily).
        final ServerSocketChannel server = ServerSocketChannel.open(AddressFamily.of(address));
        try {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, Boolean.TRUE);
            if (reusePort) {
                server.setOption(StandardSocketOptions.SO_REUSEPORT, Boolean.TRUE);
            }
            server.bind(address, BACKLOG);
            server.configureBlocking(false);
            final TcpAcceptor tcpAcceptor = new TcpAcceptor(loop, server, protocol, listener, acceptor);
            loop.addResource(tcpAcceptor);
            return tcpAcceptor;
        } catch (final IOException | RuntimeException ex) {
            server.close();
            throw ex;
        }
    }

    @Override
    public void onSelected(final SelectionKey selectedKey) {
        pollAccepts();
    }

    /**
     * Accepts pending connections up to the budget.
     *
     * @return connections accepted or rejected
     */
    public int pollAccepts() {
        if (closed || backingOff) {
            return 0;
        }
        final int budget = loop.config().acceptBudget();
        final int maxConnections = loop.config().maxConnections();
        int work = 0;
        for (int i = 0; i < budget; i++) {
            final SocketChannel channel;
            try {
                channel = acceptor.accept(server);
            } catch (final IOException ex) {
                if (SocketErrors.isOutOfFileDescriptors(ex)) {
                    backOff();
                } else {
                    loop.onHandlerError(ex);
                }
                break;
            }
            if (channel == null) {
                break;
            }
            work++;
            if (loop.openConnections() >= maxConnections) {
                loop.counters().increment(EngineCounter.CONNECTIONS_REJECTED);
                closeQuietly(channel);
                continue;
            }
            try {
                TcpConnection.accepted(loop, channel, protocol, listener, nextConnectionId++);
            } catch (final IOException ex) {
                closeQuietly(channel);
                loop.onHandlerError(ex);
            }
        }
        return work;
    }

    private void backOff() {
        backingOff = true;
        loop.counters().increment(EngineCounter.ACCEPT_BACKOFFS);
        key.interestOps(0);
        loop.scheduleTimer(loop.nowNs() + loop.config().acceptBackoffNs(), this);
    }

    @Override
    public void onTimerExpiry(final long nowNs, final long timerId) {
        if (!closed) {
            backingOff = false;
            key.interestOps(SelectionKey.OP_ACCEPT);
        }
    }

    /** @return whether accepting is paused after running out of file descriptors */
    public boolean isBackingOff() {
        return backingOff;
    }

    /** @return the bound address (with the real port when port 0 was asked for) */
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public void close(final CloseReason reason) {
        if (closed) {
            return;
        }
        closed = true;
        key.cancel();
        closeQuietly(server);
        loop.removeResource(this);
    }

    private void closeQuietly(final java.nio.channels.Channel channel) {
        try {
            channel.close();
        } catch (final IOException ex) {
            loop.errorHandler().onError(ex);
        }
    }
}
