package dev.ringside.bench.sweep;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * An echo server with a known capacity: one server that holds each request for a fixed service time, in
 * arrival order, so it completes at most 1 / service time requests per second however many connections
 * send. Each request reserves the next free slot of the one server ({@code [max(now, free), +service)}) and
 * its reply leaves when the slot ends. The slots are kept on a timeline rather than spent by the thread, so
 * the capacity stays exact on a loaded machine: a late wake-up delays that one reply, never the slots after
 * it. A thread per connection reads whole requests of a fixed size; with the generator's pipeline of one,
 * at most one request per connection waits here, and the rest of an overload queues in the generator,
 * where corrected latency counts it.
 */
final class ServiceTimeServer implements AutoCloseable {
    private final ServerSocket listener;
    private final long serviceNs;
    private final int requestBytes;
    private final List<Socket> sockets = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final Object lock = new Object();
    private long freeAtNs = System.nanoTime();
    private volatile boolean closed;

    ServiceTimeServer(final long serviceNs, final int requestBytes) throws IOException {
        this.serviceNs = serviceNs;
        this.requestBytes = requestBytes;
        this.listener = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
        start(this::accept, "accept");
    }

    InetSocketAddress address() {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    private void start(final Runnable body, final String name) {
        final Thread thread = new Thread(body, "service-time-" + name);
        thread.setDaemon(true);
        synchronized (threads) {
            threads.add(thread);
        }
        thread.start();
    }

    private void accept() {
        while (!closed) {
            try {
                final Socket socket = listener.accept();
                socket.setTcpNoDelay(true);
                synchronized (sockets) {
                    sockets.add(socket);
                }
                start(() -> serve(socket), "conn");
            } catch (final IOException ex) {
                return; // closed
            }
        }
    }

    private void serve(final Socket socket) {
        final byte[] request = new byte[requestBytes];
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            while (!closed) {
                if (in.readNBytes(request, 0, requestBytes) < requestBytes) {
                    return; // EOF: the step is over
                }
                final long doneNs;
                synchronized (lock) {
                    freeAtNs = Math.max(freeAtNs, System.nanoTime()) + serviceNs;
                    doneNs = freeAtNs;
                }
                for (long leftNs = doneNs - System.nanoTime(); leftNs > 0; leftNs = doneNs - System.nanoTime()) {
                    LockSupport.parkNanos(leftNs);
                }
                out.write(request);
            }
        } catch (final IOException ex) {
            // The generator closed the connection at the end of a step.
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
        synchronized (sockets) {
            for (final Socket socket : sockets) {
                socket.close();
            }
        }
        final List<Thread> all;
        synchronized (threads) {
            all = new ArrayList<>(threads);
        }
        try {
            for (final Thread thread : all) {
                thread.join(5_000);
            }
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
