package dev.ringside.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.ringside.engine.counter.EngineCounter;
import dev.ringside.engine.protocol.CloseReason;
import dev.ringside.engine.protocol.rr.RrProtocol;
import dev.ringside.engine.protocol.sockperf.SockperfProtocol;

/**
 * What a client says to a server of each protocol, and what it checks, whatever the model: the protocol
 * half of the conformance suite. Each conversation also checks the server's counters.
 */
final class Conversations {
    /** Concurrent clients: more than one, so the models' concurrency (or its absence) is exercised. */
    static final int CLIENTS = 3;
    static final int MAX_PAYLOAD = 256 * 1024;
    static final int DATAGRAMS = 20;
    /** rr: the reply size the suite asks for with {@code --response-size}. */
    static final int RR_RESPONSE_BYTES = 1000;
    /** rr: requests per client, each of a random size up to what fits the 4 KiB ring with its header. */
    static final int RR_REQUESTS = 200;
    /** http: pipelined requests per client; their responses are ten times the ring. */
    static final int HTTP_REQUESTS = 300;

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

    /**
     * rr ({@code --response-size} {@value #RR_RESPONSE_BYTES}): concurrent clients each pipeline requests of
     * random sizes, written in chunks of random size while the replies are read, and get one reply of the
     * fixed pattern per request, byte for byte; datagrams get one reply datagram each.
     */
    static void rr(final ModelServer server) throws Exception {
        final Random random = new Random(3);
        final byte[] reply = rrReply();
        final byte[][] requests = new byte[CLIENTS][];
        final byte[][] expected = new byte[CLIENTS][];
        final long[] seeds = new long[CLIENTS];
        for (int c = 0; c < CLIENTS; c++) {
            final ByteArrayOutputStream frames = new ByteArrayOutputStream();
            final ByteArrayOutputStream replies = new ByteArrayOutputStream();
            for (int i = 0; i < RR_REQUESTS; i++) {
                frames.writeBytes(rrFrame(Clients.randomBytes(random,
                    random.nextInt(ModelServer.RING_BYTES - RrProtocol.HEADER_BYTES + 1))));
                replies.writeBytes(reply);
            }
            requests[c] = frames.toByteArray();
            expected[c] = replies.toByteArray();
            seeds[c] = random.nextLong();
        }
        pipelineOnEveryClient(server, requests, expected, seeds);
        assertEquals((long) CLIENTS * RR_REQUESTS, server.count(EngineCounter.MESSAGES_IN), "requests");
        assertEquals((long) CLIENTS * RR_REQUESTS * reply.length, server.count(EngineCounter.BYTES_OUT), "bytes out");
        assertEquals(0, server.count(EngineCounter.HANDLER_ERRORS), "handler errors");
        if (server.udp() != null) {
            final List<byte[]> datagrams = new ArrayList<>();
            final List<byte[]> answers = new ArrayList<>();
            for (int i = 0; i < DATAGRAMS; i++) {
                datagrams.add(rrFrame(Clients.randomBytes(random, random.nextInt(2000))));
                answers.add(reply);
            }
            datagramRoundTrips(server, datagrams, answers);
        }
    }

    /**
     * Each client pipelines its requests (written in random chunks while it reads) and must get exactly the
     * expected bytes back, then the server's close after its half-close.
     */
    private static void pipelineOnEveryClient(final ModelServer server, final byte[][] requests,
        final byte[][] expected, final long[] seeds) throws Exception {
        final ExecutorService clients = Executors.newFixedThreadPool(requests.length);
        try {
            final List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < requests.length; c++) {
                final int client = c;
                done.add(clients.submit(() -> {
                    try (Socket socket = Clients.connect(server.tcp())) {
                        final CompletableFuture<Void> writing = CompletableFuture.runAsync(
                            () -> Clients.writeInChunks(socket, requests[client], seeds[client]));
                        final byte[] replies = Clients.readExactly(socket, expected[client].length);
                        writing.join();
                        assertArrayEquals(expected[client], replies, "replies of client " + client);
                        Clients.expectCloseAfterHalfClose(socket);
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
        server.awaitClosed(CloseReason.PEER_CLOSED, requests.length);
    }

    /** One datagram at a time; each must be answered with exactly its expected reply. */
    private static void datagramRoundTrips(final ModelServer server, final List<byte[]> requests,
        final List<byte[]> replies) throws Exception {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(Clients.WATCHDOG_MS);
            final byte[] received = new byte[65_536];
            for (int i = 0; i < requests.size(); i++) {
                socket.send(new DatagramPacket(requests.get(i), requests.get(i).length, server.udp()));
                final DatagramPacket packet = new DatagramPacket(received, received.length);
                socket.receive(packet);
                assertArrayEquals(replies.get(i), Arrays.copyOf(received, packet.getLength()), "datagram " + i);
            }
        }
        server.await(EngineCounter.DATAGRAMS_OUT, requests.size());
    }

    /**
     * sockperf: each client sends messages of random sizes, some asking for a reply, some warm-up or without
     * the pong flag; exactly the ones asking get answered, byte for byte with the CLIENT bit cleared, in order.
     * Over UDP the same per datagram.
     */
    static void sockperf(final ModelServer server) throws Exception {
        final Random random = new Random(5);
        final byte[][] requests = new byte[CLIENTS][];
        final byte[][] expected = new byte[CLIENTS][];
        final long[] seeds = new long[CLIENTS];
        for (int c = 0; c < CLIENTS; c++) {
            final ByteArrayOutputStream messages = new ByteArrayOutputStream();
            final ByteArrayOutputStream replies = new ByteArrayOutputStream();
            for (int i = 0; i < RR_REQUESTS; i++) {
                final int flags = i % 3 == 0 ? SockperfProtocol.FLAG_CLIENT | SockperfProtocol.FLAG_WARMUP
                    | SockperfProtocol.FLAG_PONG_REQUEST
                    : i % 5 == 0 ? SockperfProtocol.FLAG_CLIENT
                    : SockperfProtocol.FLAG_CLIENT | SockperfProtocol.FLAG_PONG_REQUEST;
                // Up to a whole ring, the largest message the server takes. Catches the selector model closing a
                // connection as "frame too large" when a full ring waited only for its reply's room (issue 11).
                final byte[] payload = Clients.randomBytes(random,
                    random.nextInt(ModelServer.RING_BYTES - SockperfProtocol.HEADER_BYTES + 1));
                messages.writeBytes(sockperfMessage(i, flags, payload));
                if (SockperfProtocol.wantsReply(flags)) {
                    replies.writeBytes(sockperfMessage(i, flags & ~SockperfProtocol.FLAG_CLIENT, payload));
                }
            }
            requests[c] = messages.toByteArray();
            expected[c] = replies.toByteArray();
            seeds[c] = random.nextLong();
        }
        pipelineOnEveryClient(server, requests, expected, seeds);
        assertEquals((long) CLIENTS * RR_REQUESTS, server.count(EngineCounter.MESSAGES_IN), "messages");
        assertEquals(0, server.count(EngineCounter.HANDLER_ERRORS), "handler errors");
        if (server.udp() != null) {
            final List<byte[]> datagrams = new ArrayList<>();
            final List<byte[]> answers = new ArrayList<>();
            for (int i = 0; i < DATAGRAMS; i++) {
                final byte[] payload = Clients.randomBytes(random, random.nextInt(2000));
                datagrams.add(sockperfMessage(i, SockperfProtocol.FLAG_CLIENT | SockperfProtocol.FLAG_PONG_REQUEST,
                    payload));
                answers.add(sockperfMessage(i, SockperfProtocol.FLAG_PONG_REQUEST, payload));
            }
            datagramRoundTrips(server, datagrams, answers);
        }
    }

    private static byte[] sockperfMessage(final long seq, final int flags, final byte[] payload) {
        return ByteBuffer.allocate(SockperfProtocol.HEADER_BYTES + payload.length).putLong(seq).putShort((short) flags)
            .putInt(SockperfProtocol.HEADER_BYTES + payload.length).put(payload).array();
    }

    private static byte[] rrFrame(final byte[] payload) {
        return ByteBuffer.allocate(RrProtocol.HEADER_BYTES + payload.length).putInt(payload.length).put(payload)
            .array();
    }

    private static byte[] rrReply() {
        final byte[] pattern = new byte[RR_RESPONSE_BYTES];
        for (int i = 0; i < pattern.length; i++) {
            pattern[i] = RrProtocol.patternByte(i);
        }
        return rrFrame(pattern);
    }

    /**
     * http: concurrent clients each pipeline GET and HEAD requests in chunks of random size, the last with
     * {@code Connection: close}; every response comes back in order, whole, and the server closes after
     * the last. The responses are ten times the ring, so output backs up and resumes on every model.
     */
    static void httpPipelining(final ModelServer server) throws Exception {
        final StringBuilder requests = new StringBuilder();
        final StringBuilder expected = new StringBuilder();
        for (int i = 0; i < HTTP_REQUESTS; i++) {
            final boolean head = i % 3 == 1;
            final boolean last = i == HTTP_REQUESTS - 1;
            requests.append(head ? "HEAD" : "GET").append(" /r").append(i).append(" HTTP/1.1\r\nHost: h\r\n")
                .append(last ? "Connection: close\r\n" : "").append("\r\n");
            expected.append("HTTP/1.1 200 OK\r\nServer: ringside\r\nDate: D\r\nContent-Type: text/plain\r\n")
                .append("Content-Length: 13\r\n").append(last ? "Connection: close\r\n" : "").append("\r\n")
                .append(head ? "" : "Hello, World!");
        }
        final byte[] bytes = requests.toString().getBytes(StandardCharsets.US_ASCII);
        final Random random = new Random(5);
        final ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            final List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                final long seed = random.nextLong();
                done.add(clients.submit(() -> {
                    try (Socket socket = Clients.connect(server.tcp())) {
                        final CompletableFuture<Void> writing = CompletableFuture.runAsync(
                            () -> Clients.writeInChunks(socket, bytes, seed));
                        final String responses = new String(readToEnd(socket), StandardCharsets.US_ASCII);
                        writing.join();
                        assertEquals(expected.toString(), responses.replaceAll(
                            "Date: [A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT", "Date: D"));
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
        server.awaitClosed(CloseReason.LOCAL_CLOSE, CLIENTS);
        assertEquals((long) CLIENTS * HTTP_REQUESTS, server.count(EngineCounter.MESSAGES_IN), "requests");
        assertEquals(0, server.closedBy(CloseReason.PROTOCOL_ERROR), "protocol errors");
        assertEquals(0, server.count(EngineCounter.HANDLER_ERRORS), "handler errors");
    }

    private static byte[] readToEnd(final Socket socket) throws IOException {
        final InputStream in = socket.getInputStream();
        final ByteArrayOutputStream all = new ByteArrayOutputStream();
        final byte[] buffer = new byte[16 * 1024];
        for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
            all.write(buffer, 0, read);
        }
        return all.toByteArray();
    }

    /**
     * chat: every line reaches every other member, in each sender's order, never its sender; nobody is
     * disconnected. On the iterative model one client is served at a time, so the room only ever holds one
     * member: its lines reach nobody, and the client waiting in the backlog does not see them later either.
     */
    static void chat(final ModelServer server) throws Exception {
        if (server.model() == ServerModel.ITERATIVE) {
            iterativeRoomOfOne(server, 100);
            return;
        }
        try (ChatRoomClients room = ChatRoomClients.join(server, CLIENTS)) {
            final ExecutorService writers = Executors.newFixedThreadPool(CLIENTS);
            try {
                final List<Future<?>> written = new ArrayList<>();
                for (int m = 0; m < CLIENTS; m++) {
                    final int member = m;
                    written.add(writers.submit(() -> {
                        for (int i = 0; i < ChatRoomClients.LINES; i++) {
                            room.send(member, "m" + member + " " + i);
                        }
                        return null;
                    }));
                }
                for (final Future<?> future : written) {
                    future.get();
                }
            } finally {
                writers.shutdownNow();
            }
            for (int m = 0; m < CLIENTS; m++) {
                room.assertEveryOtherMembersLinesInOrder(m);
            }
        }
        server.awaitClosed(CloseReason.PEER_CLOSED, CLIENTS);
        assertEquals(CLIENTS + (long) CLIENTS * ChatRoomClients.LINES, server.count(EngineCounter.MESSAGES_IN));
        assertEquals(0, server.closedBy(CloseReason.SLOW_CONSUMER), "slow consumers");
        assertEquals(0, server.count(EngineCounter.HANDLER_ERRORS), "handler errors");
    }

    /**
     * chat with a member that never reads: it alone is disconnected and counted as a slow consumer, while a
     * member that reads misses no line, before or after. On the iterative model the idle client waits in the
     * backlog, outside the room, and cannot slow the member being served.
     */
    static void slowChatSubscriber(final ModelServer server) throws Exception {
        if (server.model() == ServerModel.ITERATIVE) {
            iterativeRoomOfOne(server, 1 << 20);
            return;
        }
        try (ChatRoomClients room = ChatRoomClients.joinWithStalledLast(server, 3)) {
            // Published until the server gives up on the stalled member: its ring, its socket buffers (the
            // process model's worker keeps the default, autotuned ones) and then the disconnect.
            final String padding = "x".repeat(90);
            int line = 0;
            for (int burst = 0; burst < 200_000 && server.closedBy(CloseReason.SLOW_CONSUMER) == 0; burst++) {
                final StringBuilder lines = new StringBuilder();
                for (int i = 0; i < 10; i++) {
                    lines.append(line + i).append(' ').append(padding).append('\n');
                }
                room.sendRaw(0, lines.toString());
                for (int i = 0; i < 10; i++) {
                    assertEquals((line + i) + " " + padding, room.nextLine(1), "the reader misses nothing");
                }
                line += 10;
            }
            server.awaitClosed(CloseReason.SLOW_CONSUMER, 1);
            room.send(0, "still here");
            assertEquals("still here", room.nextLine(1));
            room.assertClosedByServer(2);
        }
        server.awaitClosed(CloseReason.PEER_CLOSED, 2);
        assertEquals(1, server.closedBy(CloseReason.SLOW_CONSUMER));
        assertEquals(0, server.count(EngineCounter.HANDLER_ERRORS), "handler errors");
    }

    /**
     * The iterative model's room: the first client is the only member while a second waits in the backlog.
     * The first sends {@code bytes} of lines, which reach nobody, and leaves; then the second is served,
     * and has received nothing either.
     */
    private static void iterativeRoomOfOne(final ModelServer server, final int bytes) throws Exception {
        final byte[] line = ("y".repeat(99) + "\n").getBytes(StandardCharsets.US_ASCII);
        final int lines = Math.max(1, bytes / line.length);
        try (Socket first = Clients.connect(server.tcp()); Socket waiting = Clients.connect(server.tcp())) {
            for (int i = 0; i < lines; i++) {
                first.getOutputStream().write(line);
            }
            server.await(EngineCounter.MESSAGES_IN, lines);
            assertEquals(1, server.count(EngineCounter.CONNECTIONS_ACCEPTED), "the second client waits");
            Clients.expectCloseAfterHalfClose(first);
            waiting.getOutputStream().write(line);
            server.await(EngineCounter.MESSAGES_IN, lines + 1);
            Clients.expectCloseAfterHalfClose(waiting);
        }
        server.awaitClosed(CloseReason.PEER_CLOSED, 2);
        assertEquals(0, server.count(EngineCounter.BYTES_OUT), "a room of one sends nothing");
        assertEquals(0, server.closedBy(CloseReason.SLOW_CONSUMER), "slow consumers");
    }

    /**
     * chat with {@code --names}: every forwarded line carries its sender's name (its address until it sends
     * {@code /nick}), the room hears of joins, renames and leaves, and a refused {@code /nick} reaches only the
     * member who asked. On the iterative model the room holds one member at a time: it hears its own welcome
     * and rename, and the client waiting in the backlog hears nothing of it.
     */
    static void namedChat(final ModelServer server) throws Exception {
        try (Socket ana = Clients.connect(server.tcp())) {
            final BufferedReader anaIn = lines(ana);
            final String a = address(ana);
            assertEquals(welcome(a), anaIn.readLine());
            if (server.model() == ServerModel.ITERATIVE) {
                try (Socket waiting = Clients.connect(server.tcp())) {
                    say(ana, "/nick ana\nnobody hears this\n");
                    assertEquals("* [" + a + "] is now [ana]", anaIn.readLine());
                    server.await(EngineCounter.MESSAGES_IN, 2);
                    ana.shutdownOutput();
                    assertNull(anaIn.readLine(), "the room of one sent nothing else");
                    final BufferedReader waitingIn = lines(waiting);
                    assertEquals(welcome(address(waiting)), waitingIn.readLine(),
                        "served only now, and told nothing of the earlier member");
                    waiting.shutdownOutput();
                    assertNull(waitingIn.readLine());
                }
                server.awaitClosed(CloseReason.PEER_CLOSED, 2);
                return;
            }
            final String b;
            try (Socket bia = Clients.connect(server.tcp())) {
                final BufferedReader biaIn = lines(bia);
                b = address(bia);
                assertEquals(welcome(b), biaIn.readLine());
                assertEquals("* [" + b + "] joined", anaIn.readLine());
                say(ana, "/nick ana\n");
                assertEquals("* [" + a + "] is now [ana]", anaIn.readLine());
                assertEquals("* [" + a + "] is now [ana]", biaIn.readLine());
                say(bia, "/nick ana\n/nick two words\n/nick " + "x".repeat(33) + "\n");
                assertEquals("* /nick refused: [ana] is taken", biaIn.readLine());
                assertEquals("* /nick refused: a name is printable UTF-8, without spaces or brackets",
                    biaIn.readLine());
                assertEquals("* /nick refused: a name is 1 to 32 bytes, this one is 33", biaIn.readLine());
                say(bia, "oi! aqui o dois\n");
                // Catches a refusal sent to the whole room: it would be ana's next line.
                assertEquals("[" + b + "] oi! aqui o dois", anaIn.readLine());
                say(ana, "oi, dois\n");
                assertEquals("[ana] oi, dois", biaIn.readLine());
            }
            assertEquals("* [" + b + "] left", anaIn.readLine());
        }
        server.awaitClosed(CloseReason.PEER_CLOSED, 2);
        assertEquals(0, server.closedBy(CloseReason.SLOW_CONSUMER), "slow consumers");
        assertEquals(0, server.count(EngineCounter.HANDLER_ERRORS), "handler errors");
    }

    private static String welcome(final String name) {
        return "* you are [" + name + "]; /nick NAME to choose a name";
    }

    private static BufferedReader lines(final Socket socket) throws IOException {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    }

    /** @return the client's address as the server names it, {@code host:port} */
    private static String address(final Socket socket) {
        return socket.getLocalAddress().getHostAddress() + ":" + socket.getLocalPort();
    }

    private static void say(final Socket socket, final String lines) throws IOException {
        socket.getOutputStream().write(lines.getBytes(StandardCharsets.UTF_8));
    }
}
