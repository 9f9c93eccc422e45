package dev.ringside.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Socket;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.ringside.engine.protocol.CloseReason;
import dev.ringside.engine.protocol.echo.EchoProtocol;
import dev.ringside.engine.server.CommandLauncher;
import dev.ringside.engine.server.ServerCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

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
    void shouldRefuseTheVirtualModelInOneLineOnThisOldJdk() {
        assumeFalse(VirtualThreads.available(), "this JDK has virtual threads; the model runs instead");
        final StringWriter err = new StringWriter();
        final StringWriter out = new StringWriter();
        final CommandLine command = CommandLauncher.commandLine(new ServerCommand());
        command.setErr(new PrintWriter(err, true));
        command.setOut(new PrintWriter(out, true));
        final int status = command.execute("--model", "virtual", "--tcp", "127.0.0.1:0", "--no-counters-file");
        assertEquals(CommandLauncher.EXIT_FAILURE, status);
        final String message = err.toString().trim();
        assertTrue(message.startsWith("server: --model virtual needs JDK 21 or newer"), message);
        assertEquals(1, message.lines().count(), "one line, no stack trace: " + message);
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
