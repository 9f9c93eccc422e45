package dev.ringside.engine.endpoint;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;

import dev.ringside.engine.buffer.DatagramBuffers;
import dev.ringside.engine.counter.EngineCounter;
import dev.ringside.engine.counter.LoopCounters;
import dev.ringside.engine.loop.EventLoop;
import dev.ringside.engine.loop.LoopResource;
import dev.ringside.engine.loop.SelectHandler;
import dev.ringside.engine.protocol.CloseReason;
import dev.ringside.engine.protocol.DatagramHandler;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A {@link DatagramChannel} on an event loop: a bound server port that replies to each sender, or a
 * client socket connected to one peer (the load generator runs thousands of these in one loop).
 *
 * <p>Each readiness receives at most {@code datagramBudget} datagrams. A datagram larger than
 * {@code maxDatagramBytes} is dropped and counted. A reply the socket buffer cannot take right now is
 * dropped and counted, never queued: that is UDP's contract, and queuing would grow without bound. A server
 * endpoint never answers a datagram from one of its server's own endpoints or from port 0
 * ({@link ReflectionGuard}): it drops and counts it.
 */
public final class UdpEndpoint extends LoopResource implements SelectHandler {
    private final EventLoop loop;
    private final LoopCounters counters;
    private final DatagramChannel channel;
    private final SelectionKey key;
    private final DatagramHandler handler;
    private final InetSocketAddress remote;
    private final InetSocketAddress localAddress;
    private final ReflectionGuard guard;
    // The loop's buffers, shared with every other UDP endpoint of the loop (DatagramBuffers says why that is safe).
    private final ByteBuffer buffer;
    private final UnsafeBuffer view;
    private final ByteBuffer sendBuffer;
    private final UnsafeBuffer sendView;
    private final int maxDatagramBytes;
    private Object attachment;
    private boolean closed;

    private UdpEndpoint(final EventLoop loop, final DatagramChannel channel, final DatagramHandler handler,
        final InetSocketAddress remote, final ReflectionGuard guard) throws IOException {
        this.loop = loop;
        this.guard = guard;
        this.counters = loop.counters();
        this.channel = channel;
        this.handler = handler;
        this.remote = remote;
        this.maxDatagramBytes = loop.config().maxDatagramBytes();
        this.localAddress = (InetSocketAddress) channel.getLocalAddress();
        if (guard != null) {
            guard.addEndpoint(localAddress);
        }
        final DatagramBuffers buffers = loop.datagramBuffers();
        this.buffer = buffers.receive();
        this.view = buffers.receiveView();
        this.sendBuffer = buffers.send();
        this.sendView = buffers.sendView();
        this.key = channel.register(loop.selector(), SelectionKey.OP_READ, this);
        loop.addResource(this);
    }

    /**
     * Binds a server endpoint that is the only UDP endpoint of its server: it refuses datagrams from its own
     * port and port 0 ({@link #bind(EventLoop, InetSocketAddress, DatagramHandler, ReflectionGuard)}).
     *
     * @param loop    the owning loop
     * @param address where to bind; port 0 picks one
     * @param handler the protocol's datagram handling
     * @return the endpoint
     * @throws IOException when the address cannot be bound
     */
    public static UdpEndpoint bind(final EventLoop loop, final InetSocketAddress address,
        final DatagramHandler handler) throws IOException {
        return bind(loop, address, handler, new ReflectionGuard());
    }

    /**
     * Binds a server endpoint that hands each datagram to {@code handler} and sends its reply to the sender,
     * unless {@code guard} refuses the sender (dropped and counted as {@link EngineCounter#DATAGRAMS_REFUSED}).
     *
     * @param loop    the owning loop
     * @param address where to bind; port 0 picks one
     * @param handler the protocol's datagram handling
     * @param guard   shared by every UDP endpoint of the server; this endpoint registers itself in it
     * @return the endpoint
     * @throws IOException when the address cannot be bound
     */
    public static UdpEndpoint bind(final EventLoop loop, final InetSocketAddress address,
        final DatagramHandler handler, final ReflectionGuard guard) throws IOException {
        return bind(loop, address, handler, guard, false);
    }

    /**
     * Binds a server endpoint, optionally in a group of sockets sharing the port.
     *
     * @param loop      the owning loop
     * @param address   where to bind; port 0 picks one
     * @param handler   the protocol's datagram handling
     * @param guard     shared by every UDP endpoint of the server; this endpoint registers itself in it
     * @param reusePort set {@code SO_REUSEPORT}, so other processes (a prefork server's workers) bind the same
     *                  port; Linux then hands each datagram to one socket of the group by a hash of its source
     *                  and destination, so one client's datagrams always reach the same socket
     * @return the endpoint
     * @throws IOException when the address cannot be bound
     */
    public static UdpEndpoint bind(final EventLoop loop, final InetSocketAddress address,
        final DatagramHandler handler, final ReflectionGuard guard, final boolean reusePort) throws IOException {
        final DatagramChannel channel = open(loop, address, reusePort);
        try {
            return new UdpEndpoint(loop, channel, handler, null, guard);
        } catch (final IOException | RuntimeException ex) {
            channel.close();
            throw ex;
        }
    }

    /**
     * Opens a client endpoint connected to one peer; replies go to {@code handler} (which returns
     * {@link DatagramHandler#NO_REPLY}) and requests go out with {@link #send}.
     *
     * @param loop    the owning loop
     * @param local   source address, or {@code null} for any
     * @param remote  the peer
     * @param handler receives each reply
     * @return the endpoint
     * @throws IOException when the socket cannot be bound or connected
     */
    public static UdpEndpoint connect(final EventLoop loop, final InetSocketAddress local,
        final InetSocketAddress remote, final DatagramHandler handler) throws IOException {
        final InetSocketAddress bindAddress = local == null ? new InetSocketAddress(remote.getAddress(), 0) : local;
        final DatagramChannel channel = open(loop, bindAddress, false);
        try {
            channel.connect(remote);
            // Connected: the kernel delivers only the peer's datagrams, so there is nothing to guard.
            return new UdpEndpoint(loop, channel, handler, remote, null);
        } catch (final IOException | RuntimeException ex) {
            channel.close();
            throw ex;
        }
    }

    private static DatagramChannel open(final EventLoop loop, final InetSocketAddress address,
        final boolean reusePort) throws IOException {
        final DatagramChannel channel = DatagramChannel.open(AddressFamily.of(address));
        try {
            channel.configureBlocking(false);
            if (loop.config().datagramReceiveBufferBytes() > 0) {
                channel.setOption(StandardSocketOptions.SO_RCVBUF, loop.config().datagramReceiveBufferBytes());
            }
            if (reusePort) {
                channel.setOption(StandardSocketOptions.SO_REUSEPORT, Boolean.TRUE);
            }
            channel.bind(address);
            return channel;
        } catch (final IOException | RuntimeException ex) {
            channel.close();
            throw ex;
        }
    }

    @Override
    public void onSelected(final SelectionKey selectedKey) {
        pollDatagrams();
    }

    /**
     * Receives datagrams up to the budget, handing each to the handler and sending its reply.
     *
     * @return datagrams received
     */
    public int pollDatagrams() {
        final int budget = loop.config().datagramBudget();
        int received = 0;
        while (received < budget && !closed) {
            buffer.clear();
            final SocketAddress sender;
            try {
                if (remote != null) {
                    sender = channel.read(buffer) > 0 || buffer.position() > 0 ? remote : null;
                } else {
                    sender = channel.receive(buffer);
                }
            } catch (final IOException ex) {
                // On a connected socket an ICMP error (port unreachable) surfaces on the next read.
                counters.increment(EngineCounter.DATAGRAM_ERRORS);
                break;
            }
            if (sender == null) {
                break;
            }
            received++;
            final int length = buffer.position();
            if (length > maxDatagramBytes) {
                counters.increment(EngineCounter.DATAGRAMS_OVERSIZED);
                continue;
            }
            if (guard != null && guard.refuses((InetSocketAddress) sender)) {
                counters.increment(EngineCounter.DATAGRAMS_REFUSED);
                continue;
            }
            counters.increment(EngineCounter.DATAGRAMS_IN);
            counters.add(EngineCounter.DATAGRAM_BYTES_IN, length);
            final int replyLength;
            try {
                replyLength = handler.onDatagram(view, length, (InetSocketAddress) sender);
            } catch (final RuntimeException ex) {
                loop.onHandlerError(ex);
                continue;
            }
            if (replyLength >= 0) {
                buffer.clear().limit(replyLength);
                sendFrom(buffer, sender, replyLength);
            }
        }
        return received;
    }

    /**
     * Sends one datagram to the connected peer (client endpoints).
     *
     * @param src    payload
     * @param offset offset in payload
     * @param length byte count, at most {@code maxDatagramBytes}
     * @return false when it was dropped (socket buffer full or an error), counted either way
     */
    public boolean send(final DirectBuffer src, final int offset, final int length) {
        if (remote == null) {
            throw new IllegalStateException("send needs a connected endpoint");
        }
        sendView.putBytes(0, src, offset, length);
        sendBuffer.clear().limit(length);
        return sendFrom(sendBuffer, remote, length);
    }

    private boolean sendFrom(final ByteBuffer datagram, final SocketAddress target, final int length) {
        try {
            final int sent = remote != null ? channel.write(datagram) : channel.send(datagram, target);
            // An empty datagram is sent as 0 bytes: only a non-empty one that sent nothing found the buffer full.
            if (sent == 0 && length > 0) {
                counters.increment(EngineCounter.DATAGRAMS_DROPPED);
                return false;
            }
        } catch (final IOException ex) {
            counters.increment(EngineCounter.DATAGRAM_ERRORS);
            return false;
        }
        counters.increment(EngineCounter.DATAGRAMS_OUT);
        counters.add(EngineCounter.DATAGRAM_BYTES_OUT, length);
        return true;
    }

    /** @return the bound address */
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /**
     * The socket's receive buffer as the kernel reports it (Linux reports twice what was set).
     *
     * @return {@code SO_RCVBUF} in bytes
     * @throws IOException when the socket is closed
     */
    public int receiveBufferBytes() throws IOException {
        return channel.getOption(StandardSocketOptions.SO_RCVBUF);
    }

    /** @return a user object */
    public Object attachment() {
        return attachment;
    }

    /**
     * Attaches a user object (the load generator keeps its client state here).
     *
     * @param attachment anything
     */
    public void attach(final Object attachment) {
        this.attachment = attachment;
    }

    @Override
    public void close(final CloseReason reason) {
        if (closed) {
            return;
        }
        closed = true;
        key.cancel();
        try {
            channel.close();
        } catch (final IOException ex) {
            loop.errorHandler().onError(ex);
        }
        loop.removeResource(this);
    }

    /** @return whether {@link #close} was called */
    public boolean isClosed() {
        return closed;
    }
}
