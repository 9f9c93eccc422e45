package dev.ringside.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.ringside.engine.counter.EngineCounter;
import dev.ringside.engine.protocol.CloseReason;

/**
 * What a client says to a server of each protocol, and what it checks, whatever the model: the protocol
 * half of the conformance suite. Each conversation also checks the server's counters.
 */
final class Conversations {
    /** Concurrent clients: more than one, so the models' concurrency (or its absence) is exercised. */
    static final int CLIENTS = 3;
    static final int MAX_PAYLOAD = 256 * 1024;
    static final int DATAGRAMS = 20;

    private Conversations() {
    }

    /** A conversation with a running server. */
    @FunctionalInterface
    interface Conversation {
        void run(ModelServer server) throws Exception;
    }

    /**
     * Echo: concurrent clients each send a random payload, far larger than the 4 KiB rings, in chunks of
     * random size (single bytes included), and get every byte back in order; datagrams of random sizes come
     * back whole.
     */
    static void echo(final ModelServer server) throws Exception {
        final Random random = new Random(42);
        final List<byte[]> payloads = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < CLIENTS; i++) {
            payloads.add(Clients.randomBytes(random, 1 + random.nextInt(MAX_PAYLOAD)));
            total += payloads.get(i).length;
        }
        final ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            final List<Future<?>> done = new ArrayList<>();
            for (final byte[] payload : payloads) {
                final long seed = random.nextLong();
                done.add(clients.submit(() -> {
                    try (Socket socket = Clients.connect(server.tcp())) {
                        Clients.echo(socket, payload, new Random(seed));
                    }
                    return null;
                }));
            }
            for (final Future<?> future : done) {
                future.get();
            }
        } finally {
            clients.shutdownNow();
        }
        server.awaitClosed(CloseReason.PEER_CLOSED, CLIENTS);
        assertEquals(total, server.count(EngineCounter.BYTES_IN), "bytes in");
        assertEquals(total, server.count(EngineCounter.BYTES_OUT), "bytes out");
        assertEquals(CLIENTS, server.count(EngineCounter.CONNECTIONS_ACCEPTED), "accepted");
        assertEquals(0, server.count(EngineCounter.HANDLER_ERRORS), "handler errors");
        assertEquals(CLIENTS, server.count(EngineCounter.CONNECTIONS_CLOSED), "every close has one reason");
        if (server.udp() != null) {
            echoDatagrams(server, random);
        }
    }

    private static void echoDatagrams(final ModelServer server, final Random random) throws Exception {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(Clients.WATCHDOG_MS);
            final byte[] reply = new byte[65_536];
            for (int i = 0; i < DATAGRAMS; i++) {
                final byte[] datagram = Clients.randomBytes(random, 1 + random.nextInt(8192));
                socket.send(new DatagramPacket(datagram, datagram.length, server.udp()));
                final DatagramPacket received = new DatagramPacket(reply, reply.length);
                socket.receive(received);
                assertArrayEquals(datagram, java.util.Arrays.copyOf(reply, received.getLength()));
            }
        }
        server.await(EngineCounter.DATAGRAMS_OUT, DATAGRAMS);
        assertEquals(DATAGRAMS, server.count(EngineCounter.DATAGRAMS_IN));
    }

    /**
     * Discard: clients send random payloads and half-close; the server reads everything, sends nothing, and
     * closes; datagrams are counted and never answered.
     */
    static void discard(final ModelServer server) throws Exception {
        final Random random = new Random(7);
        long total = 0;
        for (int i = 0; i < CLIENTS; i++) {
            final byte[] payload = Clients.randomBytes(random, 1 + random.nextInt(MAX_PAYLOAD));
            total += payload.length;
            try (Socket socket = Clients.connect(server.tcp())) {
                Clients.writeInChunks(socket, payload, random.nextLong());
                Clients.expectCloseAfterHalfClose(socket);
            }
        }
        server.awaitClosed(CloseReason.PEER_CLOSED, CLIENTS);
        assertEquals(total, server.count(EngineCounter.BYTES_IN), "bytes in");
        assertEquals(0, server.count(EngineCounter.BYTES_OUT), "bytes out");
        if (server.udp() != null) {
            try (DatagramSocket socket = new DatagramSocket()) {
                for (int i = 0; i < DATAGRAMS; i++) {
                    final byte[] datagram = Clients.randomBytes(random, 1 + random.nextInt(1024));
                    socket.send(new DatagramPacket(datagram, datagram.length, server.udp()));
                    // One at a time: the 4 KiB receive buffer would drop a burst (UDP's right, not a defect).
                    server.await(EngineCounter.DATAGRAMS_IN, i + 1);
                }
            }
            assertEquals(0, server.count(EngineCounter.DATAGRAMS_OUT));
        }
    }
}
