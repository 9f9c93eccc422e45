package dev.ringside.engine.endpoint;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * How a listener takes a connection from the kernel. Production uses {@link ServerSocketChannel#accept()};
 * tests substitute one that fails as the kernel does when file descriptors run out.
 */
@FunctionalInterface
public interface ChannelAcceptor {
    /** The kernel's accept. */
    ChannelAcceptor DIRECT = ServerSocketChannel::accept;

    /**
     * Accepts one pending connection.
     *
     * @param server the listening channel, non-blocking
     * @return the connection, or {@code null} when none is pending
     * @throws IOException as {@code accept(2)} fails
     */
    SocketChannel accept(ServerSocketChannel server) throws IOException;
}
