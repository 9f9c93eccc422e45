package dev.ringside.engine.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * A plain TCP client for loopback tests that drive the loop on the test thread: connects blocking (the
 * kernel completes the handshake from the listener's backlog), then works non-blocking so that
 * {@link #poll()} can be called from a {@code runUntil} condition between duty cycles. Output that the
 * socket cannot take yet is kept and sent by later polls.
 */
public final class LoopbackClient implements AutoCloseable {
    private final SocketChannel channel;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final ByteBuffer readBuffer = ByteBuffer.allocate(64 * 1024);
    private ByteBuffer pending = ByteBuffer.allocate(0);
    private boolean eof;
    private boolean reset;

    private LoopbackClient(final SocketChannel channel) {
        this.channel = channel;
    }

    public static LoopbackClient connect(final InetSocketAddress address) {
        return connect(address, 0);
    }

    /**
     * Connects.
     *
     * @param address           where
     * @param receiveBufferBytes {@code SO_RCVBUF} set before connecting (so the window is small), or 0
     * @return the client
     */
    public static LoopbackClient connect(final InetSocketAddress address, final int receiveBufferBytes) {
        try {
            final SocketChannel channel = SocketChannel.open();
            if (receiveBufferBytes > 0) {
                channel.setOption(StandardSocketOptions.SO_RCVBUF, receiveBufferBytes);
            }
            channel.connect(address);
            channel.configureBlocking(false);
            return new LoopbackClient(channel);
        } catch (final IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Queues bytes and sends what the socket takes now. */
    public void send(final byte[] bytes) {
        final ByteBuffer joined = ByteBuffer.allocate(pending.remaining() + bytes.length);
        joined.put(pending).put(bytes).flip();
        pending = joined;
        flush();
    }

    public void send(final String text) {
        send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * Sends queued bytes and reads what has arrived.
     *
     * @return always true, so it can lead a condition: {@code () -> client.poll() && ...}
     */
    public boolean poll() {
        flush();
        if (eof) {
            return true;
        }
        try {
            while (true) {
                readBuffer.clear();
                final int read = channel.read(readBuffer);
                if (read < 0) {
                    eof = true;
                    break;
                }
                if (read == 0) {
                    break;
                }
                received.write(readBuffer.array(), 0, read);
            }
        } catch (final IOException ex) {
            eof = true;
            reset = true;
        }
        return true;
    }

    private void flush() {
        if (!pending.hasRemaining() || eof) {
            return;
        }
        try {
            channel.write(pending);
        } catch (final IOException ex) {
            reset = true;
            pending = ByteBuffer.allocate(0);
        }
    }

    /** @return whether queued output has all been handed to the socket */
    public boolean sent() {
        return !pending.hasRemaining();
    }

    public byte[] received() {
        return received.toByteArray();
    }

    public String receivedText() {
        return received.toString(StandardCharsets.ISO_8859_1);
    }

    public int receivedBytes() {
        return received.size();
    }

    /** @return this end's address as the server sees it, {@code host:port} */
    public String localAddress() {
        try {
            final InetSocketAddress local = (InetSocketAddress) channel.getLocalAddress();
            return local.getAddress().getHostAddress() + ":" + local.getPort();
        } catch (final IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** @return whether the server closed (end of stream or reset) */
    public boolean closedByPeer() {
        return eof;
    }

    /** @return whether the connection ended with an error rather than a clean end of stream */
    public boolean wasReset() {
        return reset;
    }

    /** Half-closes: the server sees end of stream while this client can still read. */
    public void shutdownOutput() {
        try {
            channel.shutdownOutput();
        } catch (final IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (final IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
