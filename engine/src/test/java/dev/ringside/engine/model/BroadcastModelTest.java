package dev.ringside.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.ringside.engine.config.LoopConfig;
import dev.ringside.engine.protocol.CloseReason;
import dev.ringside.engine.protocol.OptionValues;
import dev.ringside.engine.protocol.Protocol;
import dev.ringside.engine.protocol.ProtocolSpec;
import dev.ringside.engine.protocol.ServerEnvironment;
import dev.ringside.engine.protocols.Protocols;
import dev.ringside.engine.testing.LoopHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Broadcast on the blocking models, with the same room code and policy as on the selector loop: each line to
 * every other member, and a member that cannot keep up disconnected and counted. Runs a stand-in for the chat
 * protocol ({@link LineRoomProtocol}), which counts overlapping session calls; the real chat runs on every model
 * in {@link ModelConformanceTest}, and these tests keep guarding the blocking side (thread-safe bounded output,
 * serialized session calls).
 *
 * <p>Not here: iterative (one member at a time, so no room), process (a room cannot span processes; refused,
 * see {@link ProcessModelTest}), multi (a room across loops is the protocol's own business, issue 3).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BroadcastModelTest {
    private static final int MEMBERS = 3;
    private static final int LINES = 100;
    private static final int RING_BYTES = 16 * 1024;

    private static LoopConfig config() {
        return new LoopConfig().ringCapacityBytes(RING_BYTES).poolRings(64).socketSendBufferBytes(4096);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ServerModel.class, names = {"THREAD", "POOL", "VIRTUAL", "SELECTOR"})
    void shouldDeliverEveryLineToEveryOtherMemberInOrder(final ServerModel model) throws Exception {
        SelectedModels.assume(model);
        final LineRoomProtocol room = new LineRoomProtocol();
        try (ModelServer server = ModelServer.start(model, room, config(), MEMBERS + 1)) {
            final List<Socket> members = new ArrayList<>();
            final ExecutorService threads = Executors.newFixedThreadPool(2 * MEMBERS);
            try {
                for (int i = 0; i < MEMBERS; i++) {
                    members.add(Clients.connect(server.tcp()));
                }
                LoopHarness.await(() -> room.members() == MEMBERS);
                final List<Future<List<String>>> received = new ArrayList<>();
                for (int i = 0; i < MEMBERS; i++) {
                    final Socket member = members.get(i);
                    final int id = i;
                    // Each member receives less than one ring's worth, so nobody can be too slow here.
                    received.add(threads.submit(() -> readLines(member, (MEMBERS - 1) * LINES)));
                    threads.submit(() -> writeLines(member, id));
                }
                for (int i = 0; i < MEMBERS; i++) {
                    assertEveryOtherMembersLinesInOrder(i, received.get(i).get());
                }
            } finally {
                threads.shutdownNow();
                for (final Socket member : members) {
                    member.close();
                }
            }
            server.awaitClosed(CloseReason.PEER_CLOSED, MEMBERS);
            assertEquals(0, server.closedBy(CloseReason.SLOW_CONSUMER));
        }
        assertEquals(0, room.overlaps(), "session calls overlapped: the room was entered by two threads at once");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ServerModel.class, names = {"THREAD", "POOL", "VIRTUAL", "SELECTOR"})
    void shouldDisconnectOnlyTheSubscriberThatCannotKeepUp(final ServerModel model) throws Exception {
        SelectedModels.assume(model);
        final LineRoomProtocol room = new LineRoomProtocol();
        try (ModelServer server = ModelServer.start(model, room, config(), MEMBERS + 1);
            Socket publisher = Clients.connect(server.tcp());
            Socket reader = Clients.connect(server.tcp());
            Socket stalled = connectWithSmallReceiveBuffer(server.tcp())) {
            LoopHarness.await(() -> room.members() == MEMBERS);
            final OutputStream out = publisher.getOutputStream();
            final BufferedReader in = reader(reader);
            final String padding = "x".repeat(90);
            // Bursts the reader keeps up with; the stalled member never reads, and its ring (16 KiB) plus its
            // socket buffers overflow long before 200 KB have been published.
            for (int burst = 0; burst < 200; burst++) {
                final StringBuilder lines = new StringBuilder();
                for (int i = 0; i < 10; i++) {
                    lines.append(burst * 10 + i).append(' ').append(padding).append('\n');
                }
                out.write(lines.toString().getBytes(StandardCharsets.US_ASCII));
                for (int i = 0; i < 10; i++) {
                    assertEquals((burst * 10 + i) + " " + padding, in.readLine(), "the reader misses nothing");
                }
            }
            server.awaitClosed(CloseReason.SLOW_CONSUMER, 1);
            LoopHarness.await(() -> room.members() == MEMBERS - 1);
            Clients.roundTripLine(publisher, in, "still here");
            assertServerClosed(stalled);
        }
        assertEquals(0, room.overlaps(), "session calls overlapped");
    }

    @Test
    void shouldSerializeOnlyProtocolsWhoseSessionsShareState() {
        for (final ProtocolSpec spec : Protocols.servable()) {
            final Protocol protocol = spec.server().orElseThrow().newProtocol(OptionValues.defaults(),
                new ServerEnvironment(1 << 20, System.out));
            // Only chat keeps state across sessions (its room); everything else is called without a lock.
            assertEquals("chat".equals(spec.name()), SessionLock.forProtocol(protocol).isShared(), spec.name());
        }
    }

    /** Reads what the server had sent before it closed; the end (or a reset) must come. */
    private static void assertServerClosed(final Socket socket) {
        final byte[] buffer = new byte[64 * 1024];
        try {
            while (socket.getInputStream().read(buffer) >= 0) {
                continue;
            }
        } catch (final java.net.SocketTimeoutException ex) {
            throw new AssertionError("the stalled member was never disconnected", ex);
        } catch (final IOException ex) {
            return; // reset: closed with output unsent, also a disconnect
        }
    }

    private static Socket connectWithSmallReceiveBuffer(final InetSocketAddress address) throws IOException {
        final Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(address);
        return socket;
    }

    private static BufferedReader reader(final Socket socket) throws IOException {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
    }

    private static Void writeLines(final Socket socket, final int member) throws IOException {
        final OutputStream out = socket.getOutputStream();
        for (int i = 0; i < LINES; i++) {
            out.write(("m" + member + " " + i + "\n").getBytes(StandardCharsets.US_ASCII));
        }
        out.flush();
        return null;
    }

    private static List<String> readLines(final Socket socket, final int count) throws IOException {
        final BufferedReader in = reader(socket);
        final List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            final String line = in.readLine();
            if (line == null) {
                throw new IOException("end of stream after " + i + " of " + count + " lines");
            }
            lines.add(line);
        }
        return lines;
    }

    private static void assertEveryOtherMembersLinesInOrder(final int member, final List<String> lines) {
        final int[] next = new int[MEMBERS];
        for (final String line : lines) {
            final String[] words = line.split(" ");
            final int from = Integer.parseInt(words[0].substring(1));
            assertTrue(from != member, "member " + member + " got its own line back: " + line);
            assertEquals(next[from], Integer.parseInt(words[1]), "member " + member + ": lines of " + from
                + " out of order");
            next[from]++;
        }
        for (int from = 0; from < MEMBERS; from++) {
            assertEquals(from == member ? 0 : LINES, next[from], "member " + member + " from " + from);
        }
    }
}
