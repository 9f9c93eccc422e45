package dev.ringside.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.ringside.engine.counter.EngineCounter;

/**
 * Members of a chat room on a server of any model, each read by a thread of its own into a queue (except a
 * stalled member, which never reads).
 *
 * <p>Joining is made certain without looking inside the server: members connect one at a time, and each
 * sends {@code hello K} and waits until the server has counted that line. A session handles its lines only
 * after it has joined, so once member K's hello is counted, members 0..K are all in the room, and the hello
 * has gone to exactly members 0..K-1. Those hellos are read off before the members are handed out.
 */
final class ChatRoomClients implements AutoCloseable {
    /** Lines each member writes in the delivery conversation; what a member receives stays below one ring. */
    static final int LINES = 100;
    /** Marks the end of a member's stream in its queue; no chat line can contain a NUL. */
    private static final String END = "\u0000end of stream";

    private final List<Socket> members = new ArrayList<>();
    private final List<BlockingQueue<String>> received = new ArrayList<>();
    private final ExecutorService readers = Executors.newCachedThreadPool();

    private ChatRoomClients() {
    }

    /**
     * @param server a chat server
     * @param count  members
     * @return the members, all in the room
     */
    static ChatRoomClients join(final ModelServer server, final int count) throws IOException, InterruptedException {
        return join(server, count, false);
    }

    /**
     * @param server a chat server
     * @param count  members; the last has a 4 KiB receive buffer and never reads
     * @return the members, all in the room
     */
    static ChatRoomClients joinWithStalledLast(final ModelServer server, final int count)
        throws IOException, InterruptedException {
        return join(server, count, true);
    }

    private static ChatRoomClients join(final ModelServer server, final int count, final boolean stalledLast)
        throws IOException, InterruptedException {
        final ChatRoomClients room = new ChatRoomClients();
        boolean joined = false;
        try {
            final long linesBefore = server.count(EngineCounter.MESSAGES_IN);
            for (int k = 0; k < count; k++) {
                final boolean stalled = stalledLast && k == count - 1;
                final Socket socket = stalled ? connectWithSmallReceiveBuffer(server) : Clients.connect(server.tcp());
                room.members.add(socket);
                final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
                room.received.add(queue);
                if (!stalled) {
                    room.readers.submit(() -> readLines(socket, queue));
                }
                room.send(k, "hello " + k);
                server.await(EngineCounter.MESSAGES_IN, linesBefore + k + 1);
            }
            for (int k = 0; k < count; k++) {
                for (int later = k + 1; later < count && !(stalledLast && k == count - 1); later++) {
                    assertEquals("hello " + later, room.nextLine(k), "member " + k + " hears who joined after it");
                }
            }
            joined = true;
            return room;
        } finally {
            if (!joined) {
                room.close();
            }
        }
    }

    private static Socket connectWithSmallReceiveBuffer(final ModelServer server) throws IOException {
        final Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.setSoTimeout(Clients.WATCHDOG_MS);
        socket.connect(server.tcp());
        return socket;
    }

    private static Void readLines(final Socket socket, final BlockingQueue<String> queue) {
        try {
            final BufferedReader in = new BufferedReader(
                new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                queue.add(line);
            }
        } catch (final IOException ex) {
            // closed by the test, or reset: either way the stream has ended
        } finally {
            queue.add(END);
        }
        return null;
    }

    /**
     * @param member which
     * @param line   a line, without its newline
     */
    void send(final int member, final String line) throws IOException {
        sendRaw(member, line + "\n");
    }

    /**
     * @param member which
     * @param text   whole lines, newlines included
     */
    void sendRaw(final int member, final String text) throws IOException {
        members.get(member).getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * @param member a member that reads
     * @return the next line it received
     */
    String nextLine(final int member) throws InterruptedException {
        final String line = received.get(member).poll(Clients.WATCHDOG_MS, TimeUnit.MILLISECONDS);
        assertNotNull(line, "member " + member + " received no line within " + Clients.WATCHDOG_MS + " ms");
        assertNotSame(END, line, "member " + member + "'s stream ended");
        return line;
    }

    /**
     * Reads the lines every other member wrote ({@code mK I}, {@link #LINES} each) and checks that each
     * sender's lines came in order, all of them, and none of the member's own.
     *
     * @param member a member that reads
     */
    void assertEveryOtherMembersLinesInOrder(final int member) throws InterruptedException {
        final int count = members.size();
        final int[] next = new int[count];
        for (int i = 0; i < (count - 1) * LINES; i++) {
            final String line = nextLine(member);
            final String[] words = line.split(" ");
            final int from = Integer.parseInt(words[0].substring(1));
            assertTrue(from != member, "member " + member + " got its own line back: " + line);
            assertEquals(next[from], Integer.parseInt(words[1]), "member " + member + ": lines of " + from
                + " out of order");
            next[from]++;
        }
        for (int from = 0; from < count; from++) {
            assertEquals(from == member ? 0 : LINES, next[from], "member " + member + " from " + from);
        }
    }

    /**
     * Reads what the server had sent a member that never read, until the server's close (or reset) arrives.
     *
     * @param member the stalled member
     */
    void assertClosedByServer(final int member) {
        final byte[] buffer = new byte[64 * 1024];
        try {
            while (members.get(member).getInputStream().read(buffer) >= 0) {
                continue;
            }
        } catch (final SocketTimeoutException ex) {
            throw new AssertionError("member " + member + " was never disconnected", ex);
        } catch (final IOException ex) {
            return; // reset: closed with output unsent, also a disconnect
        }
    }

    @Override
    public void close() {
        for (final Socket member : members) {
            try {
                member.close();
            } catch (final IOException ex) {
                // closing anyway
            }
        }
        readers.shutdownNow();
    }
}
