package dev.ringside.perf.loop;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * The client ends of {@link SelectorPassBenchmark}'s connections, in a process of their own so that the
 * benchmark's JVM holds only the server ends (10,000 connections need 20,000 descriptors, the per-process
 * limit here). Usage: {@code LoopbackClients HOST PORT COUNT MESSAGE_BYTES}. It connects COUNT sockets, then
 * for every byte read from stdin writes one message on every socket, waits until every echo is back, and
 * answers with one byte on stdout. It exits at end of stdin; the benchmark also stops it by its handle.
 */
public final class LoopbackClients {
    private LoopbackClients() {
    }

    /**
     * Entry point.
     *
     * @param args host, port, connection count, message size
     * @throws IOException when a socket fails (the benchmark then sees the process end)
     */
    public static void main(final String[] args) throws IOException {
        final InetSocketAddress server = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        final int count = Integer.parseInt(args[2]);
        final int messageBytes = Integer.parseInt(args[3]);
        final SocketChannel[] clients = new SocketChannel[count];
        final int[] received = new int[count];
        final ByteBuffer message = ByteBuffer.allocateDirect(messageBytes);
        final ByteBuffer reply = ByteBuffer.allocateDirect(messageBytes);
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < count; i++) {
                clients[i] = SocketChannel.open(server);
                clients[i].configureBlocking(false);
                clients[i].register(selector, SelectionKey.OP_READ, i);
            }
            final InputStream commands = System.in;
            final OutputStream acks = System.out;
            while (commands.read() >= 0) {
                for (final SocketChannel client : clients) {
                    message.clear();
                    while (message.hasRemaining()) {
                        client.write(message);
                    }
                }
                java.util.Arrays.fill(received, 0);
                int pending = count;
                while (pending > 0) {
                    selector.select();
                    for (final SelectionKey key : selector.selectedKeys()) {
                        final int i = (Integer) key.attachment();
                        reply.clear().limit(messageBytes - received[i]);
                        final int read = clients[i].read(reply);
                        if (read < 0) {
                            throw new IOException("server closed connection " + i);
                        }
                        received[i] += read;
                        if (received[i] == messageBytes) {
                            pending--;
                        }
                    }
                    selector.selectedKeys().clear();
                }
                acks.write(1);
                acks.flush();
            }
        }
    }
}
