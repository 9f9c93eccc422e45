package dev.ringside.engine.protocol;

import static dev.ringside.engine.protocol.rr.RrProtocolTest.concat;
import static dev.ringside.engine.protocol.rr.RrProtocolTest.frame;
import static dev.ringside.engine.testing.Feeder.ascii;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.TimeUnit;

import dev.ringside.engine.buffer.ByteRing;
import dev.ringside.engine.counter.EngineCounter;
import dev.ringside.engine.protocol.chat.Chat;
import dev.ringside.engine.protocol.chat.ChatProtocol;
import dev.ringside.engine.protocol.chat.LoopChatRoom;
import dev.ringside.engine.protocol.http.HttpProtocol;
import dev.ringside.engine.protocol.http.HttpProtocolTest;
import dev.ringside.engine.protocol.rr.RrProtocol;
import dev.ringside.engine.protocol.sockperf.SockperfProtocol;
import dev.ringside.engine.protocol.sockperf.SockperfProtocolTest;
import dev.ringside.engine.testing.LoopHarness;
import dev.ringside.engine.testing.RecordingOutbound;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Proves the hot paths allocate nothing in steady state: after a warm-up, thousands of requests through
 * each session (and each datagram handler) must not move the thread's allocated-bytes counter, and an HTTP
 * server loop answering pipelined requests from a real socket must not either.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProtocolAllocationTest {
    private static final int WARM_UP = 20_000;
    private static final int MEASURED = 20_000;
    /** Slack for the counter's own bookkeeping; one allocation per iteration would be 320 KB or more. */
    private static final long SLACK_BYTES = 1024;

    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** One iteration's worth of work: feed a batch, check it was all handled, forget the output. */
    private static final class Driver {
        private final Session session;
        private final RecordingOutbound out;
        private final UnsafeBuffer input;
        private final ByteRing ring = ByteRing.allocate(64 * 1024);
        private final int expectedMessages;
        private final RecordingOutbound[] others;

        Driver(final Session session, final byte[] input, final int expectedMessages,
            final RecordingOutbound... others) {
            this.session = session;
            this.out = new RecordingOutbound(256 * 1024);
            this.input = new UnsafeBuffer(input);
            this.expectedMessages = expectedMessages;
            this.others = others;
            session.onOpen(out);
        }

        void iterate() {
            ring.write(input, 0, input.capacity());
            final int messages = session.onData(ring, out);
            if (messages != expectedMessages || !ring.isEmpty() || !out.isOpen()) {
                throw new AssertionError("batch not handled: " + messages + " messages, " + ring);
            }
            out.discard();
            for (final RecordingOutbound other : others) {
                other.discard();
            }
        }
    }

    private static long allocatedBy(final Runnable work, final int iterations) {
        for (int i = 0; i < WARM_UP; i++) {
            work.run();
        }
        final long before = THREADS.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < iterations; i++) {
            work.run();
        }
        return THREADS.getCurrentThreadAllocatedBytes() - before;
    }

    private static void assertNoAllocation(final String what, final Runnable work) {
        final long bytes = allocatedBy(work, MEASURED);
        assertTrue(bytes <= SLACK_BYTES, what + " allocated " + bytes + " bytes over " + MEASURED + " iterations");
    }

    @Test
    void shouldNotAllocateAnsweringPipelinedHttpRequests() {
        final StringBuilder requests = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            requests.append("GET /plaintext HTTP/1.1\r\nHost: localhost\r\nAccept: text/plain\r\n"
                + "Connection: keep-alive\r\nUser-Agent: wrk\r\n\r\n");
            requests.append("HEAD / HTTP/1.1\r\nHost: h\r\n\r\n");
        }
        final Driver driver = new Driver(new HttpProtocol(HttpProtocol.DEFAULT_MAX_HEADER_BYTES).newSession(null),
            ascii(requests.toString()), 16);
        assertNoAllocation("http", driver::iterate);
    }

    @Test
    void shouldNotAllocateAnsweringRrFrames() {
        final byte[] frames = concat(frame("x".repeat(100)), frame(""), frame("y".repeat(3000)));
        final Driver echo = new Driver(new RrProtocol(RrProtocol.SAME_AS_REQUEST, 64 * 1024).newSession(null),
            frames, 3);
        assertNoAllocation("rr echo", echo::iterate);
        final Driver fixed = new Driver(new RrProtocol(512, 64 * 1024).newSession(null),
            frames, 3);
        assertNoAllocation("rr fixed", fixed::iterate);
    }

    @Test
    void shouldNotAllocateAnsweringSockperfMessages() {
        final byte[] messages = concat(SockperfProtocolTest.message(1, 3, 14), SockperfProtocolTest.message(2, 1, 64),
            SockperfProtocolTest.message(3, 3, 1400));
        final Driver driver = new Driver(new SockperfProtocol(64 * 1024).newSession(null), messages, 3);
        assertNoAllocation("sockperf", driver::iterate);
    }

    @Test
    void shouldNotAllocateBroadcastingChatLines() {
        final ChatProtocol protocol = new ChatProtocol(new LoopChatRoom(false), Chat.DEFAULT_MAX_LINE_BYTES);
        final RecordingOutbound[] members = new RecordingOutbound[20];
        for (int i = 0; i < members.length; i++) {
            final Session member = protocol.newSession(null);
            members[i] = new RecordingOutbound(64 * 1024).owner(member);
            member.onOpen(members[i]);
        }
        final Driver driver = new Driver(protocol.newSession(null),
            ascii("hello everybody\nsecond line with more text in it\n\nlast\n"), 4, members);
        assertNoAllocation("chat", driver::iterate);
    }

    @Test
    void shouldNotAllocateStampingChatLinesWithNames() {
        final ChatProtocol protocol = new ChatProtocol(new LoopChatRoom(false), Chat.DEFAULT_MAX_LINE_BYTES,
            true);
        final RecordingOutbound[] members = new RecordingOutbound[20];
        for (int i = 0; i < members.length; i++) {
            final Session member = protocol.newSession(new SessionContext(i, "127.0.0.1:" + (40_000 + i), "x"));
            members[i] = new RecordingOutbound(64 * 1024).owner(member);
            member.onOpen(members[i]);
        }
        final Driver driver = new Driver(protocol.newSession(new SessionContext(99, "127.0.0.1:39999", "x")),
            ascii("hello everybody\nsecond line with more text in it\n\nlast\n"), 4, members);
        assertNoAllocation("chat with names", driver::iterate);
    }

    @Test
    void shouldNotAllocateInDatagramHandlers() {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[65_536]);
        final InetSocketAddress sender = new InetSocketAddress("127.0.0.1", 9);
        final byte[] rr = frame("request");
        final DatagramHandler rrHandler = new RrProtocol(100, 64 * 1024)
            .newDatagramHandler("x");
        assertNoAllocation("rr datagram", () -> {
            buffer.putBytes(0, rr);
            rrHandler.onDatagram(buffer, rr.length, sender);
        });
        final byte[] ping = SockperfProtocolTest.message(5, 3, 64);
        final DatagramHandler sockperf = new SockperfProtocol(64 * 1024).newDatagramHandler("x");
        assertNoAllocation("sockperf datagram", () -> {
            buffer.putBytes(0, ping);
            sockperf.onDatagram(buffer, ping.length, sender);
        });
    }

    @Test
    void shouldNotAllocateOnTheLoopThreadServingPipelinedHttpOverLoopback() throws IOException {
        try (LoopHarness harness = new LoopHarness(LoopHarness.smallConfig())) {
            final InetSocketAddress address = harness.listenTcp(new HttpProtocol(
                HttpProtocol.DEFAULT_MAX_HEADER_BYTES));
            final byte[] requests = ascii("GET / HTTP/1.1\r\nHost: h\r\n\r\n".repeat(16));
            final int responseBytes = 16 * HttpProtocolTest.ok("").length();
            harness.startThread();
            final Thread loopThread = findThread("test-loop");
            try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
                socket.setTcpNoDelay(true);
                final OutputStream out = socket.getOutputStream();
                final InputStream in = socket.getInputStream();
                final byte[] buffer = new byte[responseBytes];
                final Runnable round = () -> exchange(out, in, requests, buffer);
                for (int i = 0; i < 5_000; i++) {
                    round.run();
                }
                final long before = THREADS.getThreadAllocatedBytes(loopThread.getId());
                for (int i = 0; i < 5_000; i++) {
                    round.run();
                }
                final long bytes = THREADS.getThreadAllocatedBytes(loopThread.getId()) - before;
                assertTrue(bytes <= SLACK_BYTES, "loop thread allocated " + bytes + " bytes over 80,000 requests");
            }
            LoopHarness.await(() -> harness.counters().get(EngineCounter.CONNECTIONS_OPEN) == 0);
            assertEquals(160_000, harness.counters().get(EngineCounter.MESSAGES_IN));
            assertEquals(0, harness.counters().get(EngineCounter.RINGS_LEASED));
            assertEquals(0, harness.counters().get(EngineCounter.HANDLER_ERRORS));
        }
    }

    private static void exchange(final OutputStream out, final InputStream in, final byte[] requests,
        final byte[] buffer) {
        try {
            out.write(requests);
            int read = 0;
            while (read < buffer.length) {
                final int n = in.read(buffer, read, buffer.length - read);
                if (n < 0) {
                    throw new AssertionError("server closed");
                }
                read += n;
            }
        } catch (final IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    private static Thread findThread(final String name) {
        for (final Thread thread : Thread.getAllStackTraces().keySet()) {
            if (name.equals(thread.getName())) {
                return thread;
            }
        }
        throw new AssertionError("no thread named " + name);
    }
}
