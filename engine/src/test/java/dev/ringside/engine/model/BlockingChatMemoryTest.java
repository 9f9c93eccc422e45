package dev.ringside.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ringside.engine.config.LoopConfig;
import dev.ringside.engine.counter.EngineCounter;
import dev.ringside.engine.protocol.CloseReason;
import dev.ringside.engine.protocol.chat.ChatProtocol;
import dev.ringside.engine.protocol.chat.LoopChatRoom;
import dev.ringside.engine.testing.LoopHarness;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Chat on the blocking models keeps the selector loop's memory semantics: a member holds one small inbound ring
 * (no outbound ring: it is sent the room's broadcast ring), so 40 members fit a 1 MiB pool of 64 KiB rings,
 * where two full rings per member admitted 8; every line reaches every member with no slow-consumer close; a
 * member that never reads is cut and counted; a line longer than the small ring grows it and it shrinks back.
 * Real loopback sockets, one reader thread per member; the publisher waits for every reader between chunks
 * (polling with a cap, never sleeping), so a healthy member is never more than a chunk behind.
 *
 * <p>Bugs these catch, each tried once: chat reporting that it writes output of its own
 * ({@code ChatProtocol.writesOwnOutput} returning true: admission reserves two full rings, 33 of 41 are rejected);
 * the inbound ring not growing ({@code deliver} returning {@code FRAME_TOO_LARGE} on any full ring: the long line
 * closes its sender); the grown ring never shrinking (the pool gauge stays above one small ring per member).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BlockingChatMemoryTest {
    private static final int RING_BYTES = 64 * 1024;
    private static final int POOL_BYTES = 1 << 20;
    private static final int MEMBERS = 40;
    /** Whole lines of about this many bytes go out at once; every reader has them before the next. */
    private static final int CHUNK_BYTES = 32 * 1024;

    private static LoopConfig config() {
        return new LoopConfig().ringCapacityBytes(RING_BYTES).poolRings(POOL_BYTES / RING_BYTES)
            .socketSendBufferBytes(4096);
    }

    /** The registry's chat with default lines (4 KiB) and room (16 rings' worth); {@code maxLine} for long lines. */
    private static ChatProtocol chat(final int maxLineBytes) {
        return new ChatProtocol(new LoopChatRoom(false, 16 * RING_BYTES), maxLineBytes);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ServerModel.class, names = {"THREAD", "POOL", "VIRTUAL"})
    void shouldDeliverEveryLineToFortyMembersOnAOneMegabytePool(final ServerModel model) throws Exception {
        SelectedModels.assume(model);
        final ChatProtocol chat = chat(4096);
        final List<Member> members = new ArrayList<>();
        try (ModelServer server = ModelServer.start(model, chat, config(), MEMBERS + 8);
            Socket publisher = Clients.connect(server.tcp())) {
            for (int i = 0; i < MEMBERS; i++) {
                members.add(new Member(server.tcp(), 3 << 20));
            }
            LoopHarness.await(() -> chat.room().memberCount() == MEMBERS + 1);
            assertEquals(0, server.count(EngineCounter.CONNECTIONS_REJECTED), model + ": members turned away");
            final long perMember = server.count(EngineCounter.POOL_BYTES_LEASED) / (MEMBERS + 1);
            assertTrue(perMember <= 4096, model + ": pool bytes per member " + perMember);
            // 1.5 MB: half again the room's ring, 60 MB of deliveries in all, 60 times the pool.
            final byte[] all = lines(24_000);
            publishInChunks(publisher, all, members);
            for (final Member member : members) {
                member.assertReceived(all);
            }
            assertEquals(0, server.closedBy(CloseReason.SLOW_CONSUMER), model + ": healthy members cut");
            members.forEach(Member::close);
            publisher.shutdownOutput(); // the end of its stream: the server closes it as the members
            server.awaitClosed(CloseReason.PEER_CLOSED, MEMBERS + 1);
            server.await(EngineCounter.POOL_BYTES_LEASED, 0);
        } finally {
            members.forEach(Member::close);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ServerModel.class, names = {"THREAD", "POOL", "VIRTUAL"})
    void shouldCutTheMemberThatNeverReadsAndCountIt(final ServerModel model) throws Exception {
        SelectedModels.assume(model);
        final ChatProtocol chat = chat(4096);
        final List<Member> members = new ArrayList<>();
        try (ModelServer server = ModelServer.start(model, chat, config(), 32);
            Socket publisher = Clients.connect(server.tcp());
            Socket silent = new Socket()) {
            silent.setReceiveBufferSize(4096);
            silent.connect(server.tcp());
            for (int i = 0; i < 20; i++) {
                members.add(new Member(server.tcp(), 3 << 20));
            }
            LoopHarness.await(() -> chat.room().memberCount() == 22);
            final byte[] all = lines(40_000); // about 2.5 MB: more than two rooms' worth
            publishInChunks(publisher, all, members);
            for (final Member member : members) {
                member.assertReceived(all);
            }
            server.awaitClosed(CloseReason.SLOW_CONSUMER, 1);
            LoopHarness.await(() -> chat.room().memberCount() == 21);
        } finally {
            members.forEach(Member::close);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ServerModel.class, names = {"THREAD", "POOL", "VIRTUAL"})
    void shouldGrowTheInboundRingForALongLineAndGiveItBack(final ServerModel model) throws Exception {
        SelectedModels.assume(model);
        final ChatProtocol chat = chat(40_000);
        final List<Member> members = new ArrayList<>();
        try (ModelServer server = ModelServer.start(model, chat, config(), 8);
            Socket publisher = Clients.connect(server.tcp())) {
            for (int i = 0; i < 3; i++) {
                members.add(new Member(server.tcp(), 3 << 20));
            }
            LoopHarness.await(() -> chat.room().memberCount() == 4);
            final long small = server.count(EngineCounter.POOL_BYTES_LEASED);
            final byte[] line = new byte[30_001]; // a 30,000-byte line: the 4 KiB ring doubles to 32 KiB
            Arrays.fill(line, (byte) 'w');
            line[line.length - 1] = '\n';
            publishInChunks(publisher, line, members);
            for (final Member member : members) {
                member.assertReceived(line);
            }
            server.await(EngineCounter.POOL_BYTES_LEASED, small); // the publisher's ring is small again
            assertEquals(0, server.closedBy(CloseReason.FRAME_TOO_LARGE));
            assertEquals(0, server.closedBy(CloseReason.SHED_POOL_LOW));
        } finally {
            members.forEach(Member::close);
        }
    }

    /** Sends whole lines about a chunk at a time, each chunk once every reader has everything before it. */
    private static void publishInChunks(final Socket publisher, final byte[] all, final List<Member> readers)
        throws IOException {
        int sent = 0;
        while (sent < all.length) {
            int cut = Math.min(all.length, sent + CHUNK_BYTES);
            while (all[cut - 1] != '\n') {
                cut++; // a line longer than a chunk goes whole
            }
            publisher.getOutputStream().write(all, sent, cut - sent);
            final int end = cut;
            for (final Member reader : readers) {
                LoopHarness.await(() -> reader.received() >= end || reader.failed());
            }
            sent = cut;
        }
    }

    private static byte[] lines(final int count) {
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            text.append("line ").append(i).append(" of the room, the same for every member\n");
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** A member that reads everything on a thread of its own into a buffer. */
    private static final class Member {
        private final Socket socket;
        private final byte[] received;
        private final AtomicInteger length = new AtomicInteger();
        private volatile boolean failed;
        private final Thread reader;

        Member(final InetSocketAddress address, final int capacityBytes) throws IOException {
            received = new byte[capacityBytes];
            socket = Clients.connect(address);
            reader = new Thread(this::readAll, "member-reader");
            reader.setDaemon(true);
            reader.start();
        }

        private void readAll() {
            try {
                final InputStream in = socket.getInputStream();
                while (true) {
                    final int at = length.get();
                    final int n = in.read(received, at, received.length - at);
                    if (n < 0 || at == received.length) {
                        return;
                    }
                    length.addAndGet(n);
                }
            } catch (final IOException ex) {
                failed = true;
            }
        }

        int received() {
            return length.get();
        }

        boolean failed() {
            return failed;
        }

        void assertReceived(final byte[] expected) {
            assertEquals(expected.length, length.get(), "bytes received");
            assertArrayEquals(expected, Arrays.copyOf(received, length.get()));
        }

        void close() {
            try {
                socket.close();
            } catch (final IOException ex) {
                // closing is all we wanted
            }
        }
    }
}
