package dev.ringside.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.ringside.engine.protocol.CloseReason;
import dev.ringside.engine.protocol.echo.EchoProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VirtualModelTest {
    @Test
    void shouldNameTheJdkItNeedsWhenVirtualThreadsAreMissing() {
        final IllegalStateException refused = assertThrows(IllegalStateException.class,
            () -> VirtualThreads.factory(17, "test-"));
        assertTrue(refused.getMessage().startsWith("--model virtual needs JDK 21 or newer"), refused.getMessage());
        assertTrue(refused.getMessage().contains("this is JDK 17"), refused.getMessage());
        assertTrue(refused.getMessage().indexOf('\n') < 0, "one line");
    }

    @Test
    void shouldServeEachConnectionOnItsOwnVirtualThread() throws Exception {
        SelectedModels.assume(ServerModel.VIRTUAL);
        final RecordingProtocol protocol = new RecordingProtocol(new EchoProtocol());
        try (ModelServer server = ModelServer.start(ServerModel.VIRTUAL, protocol, ModelServer.config(), 1)) {
            try (Socket a = Clients.connect(server.tcp()); Socket b = Clients.connect(server.tcp())) {
                Clients.roundTrip(a, "a");
                Clients.roundTrip(b, "b");
            }
            server.awaitClosed(CloseReason.PEER_CLOSED, 2);
        }
        final Map<Long, Set<Thread>> threadsByConnection = new HashMap<>();
        for (final RecordingProtocol.Event event : protocol.events()) {
            assertTrue(VirtualThreads.isVirtual(event.thread()), event.thread() + " is not virtual");
            threadsByConnection.computeIfAbsent(event.connectionId(), id -> new HashSet<>()).add(event.thread());
        }
        assertEquals(2, threadsByConnection.size());
        final Set<Thread> all = new HashSet<>();
        for (final Set<Thread> threads : threadsByConnection.values()) {
            assertEquals(1, threads.size(), "one thread serves a connection from open to close");
            all.addAll(threads);
        }
        assertEquals(2, all.size(), "each connection has a thread of its own");
    }
}
