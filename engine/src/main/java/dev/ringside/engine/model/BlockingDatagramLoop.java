package dev.ringside.engine.model;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;

import dev.ringside.engine.config.LoopConfig;
import dev.ringside.engine.counter.EngineCounter;
import dev.ringside.engine.endpoint.AddressFamily;
import dev.ringside.engine.endpoint.ReflectionGuard;
import dev.ringside.engine.protocol.DatagramHandler;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The classic UDP server: one thread in a blocking receive-and-reply loop on one socket. Every blocking
 * model serves UDP this way — there is no connection to give a thread to. A datagram above the configured
 * maximum is dropped and counted; a reply is sent with a blocking send, so unlike the selector's endpoint it
 * waits for socket buffer space instead of dropping (the classic server's behaviour). A datagram from one of
 * the server's own endpoints or from port 0 is refused as on the selector ({@link ReflectionGuard}).
 */
final class BlockingDatagramLoop implements Runnable {
    /** The largest possible UDP payload fits, so nothing is silently truncated. */
    private static final int RECEIVE_BUFFER_BYTES = 64 * 1024;

    private final DatagramChannel channel;
    private final InetSocketAddress localAddress;
    private final DatagramHandler handler;
    private final ReflectionGuard guard;
    private final ModelCounters counters;
    private final ErrorHandler errors;
    private final int maxDatagramBytes;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(RECEIVE_BUFFER_BYTES);
    private final UnsafeBuffer view = new UnsafeBuffer(buffer);

    private BlockingDatagramLoop(final DatagramChannel channel, final DatagramHandler handler,
        final ReflectionGuard guard, final ModelCounters counters, final ErrorHandler errors,
        final int maxDatagramBytes) throws IOException {
        this.channel = channel;
        this.localAddress = (InetSocketAddress) channel.getLocalAddress();
        this.handler = handler;
        this.guard = guard;
        guard.addEndpoint(localAddress);
        this.counters = counters;
        this.errors = errors;
        this.maxDatagramBytes = maxDatagramBytes;
    }

    /**
     * Binds a blocking datagram socket.
     *
     * @param address   where; port 0 picks one
     * @param reusePort set {@code SO_REUSEPORT} so worker processes share the port
     * @param handler   the protocol's datagram handling (used by this loop's thread only)
     * @param guard     shared by every UDP endpoint of the server; this one registers itself in it
     * @param config    socket buffer and datagram size settings
     * @param counters  where datagrams are counted
     * @param errors    where handler exceptions go
     * @return the loop, ready to run
     * @throws IOException when the address cannot be bound
     */
    static BlockingDatagramLoop bind(final InetSocketAddress address, final boolean reusePort,
        final DatagramHandler handler, final ReflectionGuard guard, final LoopConfig config,
        final ModelCounters counters, final ErrorHandler errors) throws IOException {
        final DatagramChannel channel = DatagramChannel.open(AddressFamily.of(address));
        try {
            if (reusePort) {
                channel.setOption(StandardSocketOptions.SO_REUSEPORT, Boolean.TRUE);
            }
            if (config.datagramReceiveBufferBytes() > 0) {
                channel.setOption(StandardSocketOptions.SO_RCVBUF, config.datagramReceiveBufferBytes());
            }
            channel.bind(address);
            return new BlockingDatagramLoop(channel, handler, guard, counters, errors, config.maxDatagramBytes());
        } catch (final IOException | RuntimeException ex) {
            channel.close();
            throw ex;
        }
    }

    @Override
    public void run() {
        while (true) {
            buffer.clear();
            final SocketAddress sender;
            try {
                sender = channel.receive(buffer);
            } catch (final ClosedChannelException ex) {
                return; // closed by shutdown
            } catch (final IOException ex) {
                counters.increment(EngineCounter.DATAGRAM_ERRORS);
                continue;
            }
            final int length = buffer.position();
            if (length > maxDatagramBytes) {
                counters.increment(EngineCounter.DATAGRAMS_OVERSIZED);
                continue;
            }
            if (guard.refuses((InetSocketAddress) sender)) {
                counters.increment(EngineCounter.DATAGRAMS_REFUSED);
                continue;
            }
            counters.increment(EngineCounter.DATAGRAMS_IN);
            counters.add(EngineCounter.DATAGRAM_BYTES_IN, length);
            final int replyLength;
            try {
                replyLength = handler.onDatagram(view, length, (InetSocketAddress) sender);
            } catch (final RuntimeException ex) {
                counters.increment(EngineCounter.HANDLER_ERRORS);
                errors.onError(ex);
                continue;
            }
            if (replyLength >= 0 && !reply(sender, replyLength)) {
                return;
            }
        }
    }

    /** @return false when the socket was closed */
    private boolean reply(final SocketAddress target, final int length) {
        buffer.clear().limit(length);
        try {
            channel.send(buffer, target);
        } catch (final ClosedChannelException ex) {
            return false;
        } catch (final IOException ex) {
            counters.increment(EngineCounter.DATAGRAM_ERRORS);
            return true;
        }
        counters.increment(EngineCounter.DATAGRAMS_OUT);
        counters.add(EngineCounter.DATAGRAM_BYTES_OUT, length);
        return true;
    }

    /** @return the bound address */
    InetSocketAddress localAddress() {
        return localAddress;
    }

    /** Closes the socket; the loop's thread returns. */
    void close() {
        ConnectionServices.closeQuietly(channel);
    }
}
