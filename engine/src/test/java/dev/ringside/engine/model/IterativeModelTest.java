package dev.ringside.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.ringside.engine.counter.EngineCounter;
import dev.ringside.engine.protocol.CloseReason;
import dev.ringside.engine.protocol.echo.EchoProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IterativeModelTest {
    private static final int CLIENTS = 6;

    @Test
    void shouldServeConcurrentClientsStrictlyOneAfterAnother() throws Exception {
        final RecordingProtocol protocol = new RecordingProtocol(new EchoProtocol());
        try (ModelServer server = ModelServer.start(ServerModel.ITERATIVE, protocol, ModelServer.config(), 1)) {
            final ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            final CountDownLatch go = new CountDownLatch(1);
            try {
                final List<Future<?>> done = new ArrayList<>();
                for (int i = 0; i < CLIENTS; i++) {
                    final long seed = i;
                    done.add(clients.submit(() -> {
                        go.await();
                        try (Socket socket = Clients.connect(server.tcp())) {
                            final Random random = new Random(seed);
                            Clients.echo(socket, Clients.randomBytes(random, 50_000 + random.nextInt(50_000)), random);
                        }
                        return null;
                    }));
                }
                go.countDown(); // all clients connect at once
                for (final Future<?> future : done) {
                    future.get();
                }
            } finally {
                clients.shutdownNow();
            }
            server.awaitClosed(CloseReason.PEER_CLOSED, CLIENTS);
            // Every session closed before the next one opened: open a, close a, open b, close b, ...
            final List<RecordingProtocol.Event> events = protocol.events();
            assertEquals(2 * CLIENTS, events.size(), events.toString());
            final Set<Long> served = new HashSet<>();
            for (int i = 0; i < events.size(); i += 2) {
                final RecordingProtocol.Event open = events.get(i);
                final RecordingProtocol.Event close = events.get(i + 1);
                assertTrue(open.open() && !close.open() && open.connectionId() == close.connectionId(),
                    "sessions overlapped: " + events);
                assertEquals(open.thread(), close.thread(), "one thread serves everything");
                served.add(open.connectionId());
            }
            assertEquals(CLIENTS, served.size());
        }
    }

    @Test
    void shouldLeaveTheNextClientInTheBacklogUntilTheCurrentOneLeaves() throws Exception {
        try (ModelServer server = ModelServer.start(ServerModel.ITERATIVE, new EchoProtocol(), ModelServer.config(), 1);
            Socket first = Clients.connect(server.tcp());
            Socket second = Clients.connect(server.tcp())) {
            Clients.roundTrip(first, "first");
            // The kernel completed the second handshake, but the one server thread is busy with the first.
            second.getOutputStream().write("second".getBytes(StandardCharsets.US_ASCII));
            assertEquals(1, server.count(EngineCounter.CONNECTIONS_ACCEPTED), "only the first was accepted");
            assertEquals(5, server.count(EngineCounter.BYTES_IN), "the second's bytes are not read");
            Clients.roundTrip(first, "still the first");
            Clients.expectCloseAfterHalfClose(first); // the server closes it and turns to the second
            assertEquals("second", new String(Clients.readExactly(second, 6), StandardCharsets.US_ASCII));
            assertEquals(2, server.count(EngineCounter.CONNECTIONS_ACCEPTED));
        }
    }
}
