package dev.ringside.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.ringside.engine.counter.EngineCounter;
import dev.ringside.engine.protocol.CloseReason;
import dev.ringside.engine.protocol.echo.EchoProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PoolModelTest {
    /** How long a queued client listens for a reply that must not come; only a non-event is checked. */
    private static final int SILENCE_MS = 200;

    @Test
    void shouldMakeTheThirdAndFourthClientsWaitVisiblyForTwoThreads() throws Exception {
        try (ModelServer server = ModelServer.start(ServerModel.POOL, new EchoProtocol(), ModelServer.config(), 2);
            Socket first = Clients.connect(server.tcp());
            Socket second = Clients.connect(server.tcp())) {
            Clients.roundTrip(first, "one");
            Clients.roundTrip(second, "two");
            server.await(ModelCounter.THREADS_SERVING, 2);
            try (Socket third = Clients.connect(server.tcp()); Socket fourth = Clients.connect(server.tcp())) {
                // Accepted, counted as open, and queued: the pool's starvation is on the counters, not hidden.
                server.await(ModelCounter.CONNECTIONS_QUEUED, 2);
                assertEquals(4, server.count(EngineCounter.CONNECTIONS_ACCEPTED));
                assertEquals(4, server.count(EngineCounter.CONNECTIONS_OPEN));
                assertEquals(2, server.count(ModelCounter.CONNECTIONS_WAITED));
                assertEquals(2, server.count(ModelCounter.THREADS_SERVING));
                send(third, "three");
                send(fourth, "four");
                expectSilence(third);

                // A thread frees up: the longest-waiting client is served, the other still waits.
                Clients.expectCloseAfterHalfClose(first);
                assertEquals("three", read(third, 5));
                server.await(ModelCounter.CONNECTIONS_QUEUED, 1);
                expectSilence(fourth);

                Clients.expectCloseAfterHalfClose(second);
                assertEquals("four", read(fourth, 4));
                server.await(ModelCounter.CONNECTIONS_QUEUED, 0);
                Clients.roundTrip(third, "three again");
                Clients.roundTrip(fourth, "four again");
            }
            server.awaitClosed(CloseReason.PEER_CLOSED, 4);
            assertEquals(0, server.count(EngineCounter.CONNECTIONS_OPEN));
        }
    }

    @Test
    void shouldCountEveryClientThatFoundAllThreadsBusyWhenAllConnectAtOnce() throws Exception {
        try (ModelServer server = ModelServer.start(ServerModel.POOL, new EchoProtocol(), ModelServer.config(), 2)) {
            final List<Socket> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    clients.add(Clients.connect(server.tcp())); // no round trip: the accepts race the pool threads
                }
                server.await(ModelCounter.THREADS_SERVING, 2);
                server.await(ModelCounter.CONNECTIONS_QUEUED, 2);
                assertEquals(2, server.count(ModelCounter.CONNECTIONS_WAITED));
            } finally {
                for (final Socket client : clients) {
                    client.close();
                }
            }
            server.awaitClosed(CloseReason.PEER_CLOSED, 4);
            assertEquals(2, server.count(ModelCounter.CONNECTIONS_WAITED), "counted once each");
        }
    }

    @Test
    void shouldCloseQueuedClientsAtShutdownAndCountThem() throws Exception {
        try (ModelServer server = ModelServer.start(ServerModel.POOL, new EchoProtocol(), ModelServer.config(), 1);
            Socket served = Clients.connect(server.tcp());
            Socket queued = Clients.connect(server.tcp())) {
            Clients.roundTrip(served, "served");
            server.await(ModelCounter.CONNECTIONS_QUEUED, 1);
            server.server().shutdown(TimeUnit.SECONDS.toNanos(5));
            assertEquals(-1, served.getInputStream().read(), "the served client is closed after its output");
            assertEquals(-1, queued.getInputStream().read(), "the queued client is closed unserved");
            assertEquals(2, server.closedBy(CloseReason.SHUTDOWN));
            assertEquals(0, server.count(ModelCounter.CONNECTIONS_QUEUED));
            assertEquals(0, server.count(EngineCounter.CONNECTIONS_OPEN));
        }
    }

    private static void send(final Socket socket, final String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
    }

    private static String read(final Socket socket, final int length) throws IOException {
        return new String(Clients.readExactly(socket, length), StandardCharsets.US_ASCII);
    }

    private static void expectSilence(final Socket socket) throws IOException {
        socket.setSoTimeout(SILENCE_MS);
        assertThrows(SocketTimeoutException.class, () -> socket.getInputStream().read(), "a queued client got a reply");
        socket.setSoTimeout(Clients.WATCHDOG_MS);
    }
}
