package dev.ringside.bench.driver;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A blocking echo server of fixed-size messages that, once it has echoed {@code bytes} bytes over all its
 * connections, stops listening (reconnects are refused from then on) and closes every connection: with a
 * reset, as the kernel does for a killed process with unread data, or in order (a FIN), as a server that
 * shuts down cleanly does.
 */
final class DyingServer implements AutoCloseable {
    private final ServerSocket listener = new ServerSocket();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicLong echoed = new AtomicLong();
    private final long bytes;
    private final int messageBytes;
    private final boolean reset;

    /**
     * @param bytes        bytes echoed before it dies
     * @param messageBytes the size of one message
     * @param reset        whether its connections end with a reset (else in order)
     */
    DyingServer(final long bytes, final int messageBytes, final boolean reset) throws IOException {
        this.bytes = bytes;
        this.messageBytes = messageBytes;
        this.reset = reset;
        listener.bind(new InetSocketAddress("127.0.0.1", 0));
        final Thread acceptor = new Thread(this::accept, "dying-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    private void accept() {
        try {
            while (true) {
                final Socket socket = listener.accept();
                sockets.add(socket);
                final Thread reader = new Thread(() -> echo(socket), "dying-server-conn");
                reader.setDaemon(true);
                reader.start();
            }
        } catch (final IOException ex) {
            return; // the listener was closed
        }
    }

    private void echo(final Socket socket) {
        final byte[] buffer = new byte[messageBytes];
        try (InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            while (true) {
                int filled = 0;
                while (filled < messageBytes) {
                    final int read = in.read(buffer, filled, messageBytes - filled);
                    if (read < 0) {
                        return;
                    }
                    filled += read;
                }
                if (echoed.addAndGet(messageBytes) > bytes) {
                    die();
                    return;
                }
                out.write(buffer);
            }
        } catch (final IOException ex) {
            return; // closed by die() on another thread
        }
    }

    private synchronized void die() throws IOException {
        if (listener.isClosed()) {
            return;
        }
        listener.close();
        for (final Socket socket : sockets) {
            if (reset) {
                socket.setSoLinger(true, 0);
            }
            socket.close();
        }
    }

    @Override
    public void close() throws IOException {
        die();
    }
}
