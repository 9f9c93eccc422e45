package dev.ringside.engine.protocol.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.ringside.engine.config.LoopConfig;
import dev.ringside.engine.counter.EngineCounter;
import dev.ringside.engine.protocol.CloseReason;
import dev.ringside.engine.testing.LoopHarness;
import dev.ringside.engine.testing.LoopbackClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A room's lines are written once, into the room's broadcast ring, and every member's connection sends them from
 * there: rooms larger than the pool could copy to get every line, with no pool memory per member; only a member a
 * whole ring behind is cut. Real loopback sockets; the loop runs on the test thread between polls.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ChatBroadcastTest {
    private static final int RING_BYTES = 64 * 1024;
    /** Members connect this many at a time, so the listen backlog never overflows. */
    private static final int CONNECT_BATCH = 50;

    private final List<Member> members = new ArrayList<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);
    private LoopHarness harness;
    private ChatProtocol protocol;
    private LoopbackClient publisher;

    @AfterEach
    void closeAll() {
        for (final Member member : members) {
            member.close();
        }
        if (publisher != null) {
            publisher.close();
        }
        if (harness != null) {
            harness.close();
        }
    }

    /** One member's socket, checked byte by byte against the stream it should receive, without keeping it. */
    private final class Member {
        final SocketChannel channel;
        final boolean reads;
        byte[] expected = new byte[0];
        int matched;
        boolean ended;

        Member(final InetSocketAddress address, final int receiveBufferBytes, final boolean reads) {
            this.reads = reads;
            try {
                channel = SocketChannel.open();
                if (receiveBufferBytes > 0) {
                    channel.setOption(StandardSocketOptions.SO_RCVBUF, receiveBufferBytes);
                }
                channel.connect(address);
                channel.configureBlocking(false);
            } catch (final IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }

        /** Reads what arrived; fails at the first byte that differs from the expected stream. */
        void poll() {
            if (!reads || ended) {
                return;
            }
            try {
                for (int read = readOnce(); read != 0; read = readOnce()) {
                    if (read < 0) {
                        ended = true;
                        return;
                    }
                    for (int i = 0; i < read; i++) {
                        if (matched >= expected.length || expected[matched] != readBuffer.get(i)) {
                            fail("byte " + matched + " differs from the published lines");
                        }
                        matched++;
                    }
                }
            } catch (final IOException ex) {
                ended = true;
            }
        }

        private int readOnce() throws IOException {
            readBuffer.clear();
            return channel.read(readBuffer);
        }

        /** Drains a member that never read: its stream must be a prefix of the lines, then end. */
        boolean drainedToEnd() {
            try {
                for (int read = readOnce(); read != 0; read = readOnce()) {
                    if (read < 0) {
                        return true;
                    }
                    for (int i = 0; i < read; i++) {
                        if (expected[matched] != readBuffer.get(i)) {
                            fail("byte " + matched + " of the cut member differs from the published lines");
                        }
                        matched++;
                    }
                }
            } catch (final IOException ex) {
                return true; // reset: cut with output unsent
            }
            return false;
        }

        void close() {
            try {
                channel.close();
            } catch (final IOException ex) {
                // closing anyway
            }
        }
    }

    private InetSocketAddress start(final LoopConfig config, final int roomBytes) {
        harness = new LoopHarness(config);
        protocol = new ChatProtocol(new LoopChatRoom(false, roomBytes), Chat.DEFAULT_MAX_LINE_BYTES);
        return harness.listenTcp(protocol);
    }

    private void join(final InetSocketAddress address, final int count, final int receiveBufferBytes,
        final boolean reads) {
        for (int i = 0; i < count; i++) {
            members.add(new Member(address, receiveBufferBytes, reads));
            if (members.size() % CONNECT_BATCH == 0 || i == count - 1) {
                final int joined = members.size();
                harness.runUntil(() -> protocol.room().memberCount() == joined);
            }
        }
    }

    private static byte[] lines(final int count, final int from) {
        final StringBuilder text = new StringBuilder();
        for (int i = from; i < from + count; i++) {
            text.append(String.format("%06d %s%n", i, "z".repeat(i % 97)));
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private void expectEveryone(final byte[] stream) {
        for (final Member member : members) {
            member.expected = stream;
        }
    }

    private boolean everyReaderHas(final int bytes) {
        publisher.poll();
        for (final Member member : members) {
            member.poll();
        }
        for (final Member member : members) {
            if (member.reads && member.matched < bytes) {
                return false;
            }
        }
        return true;
    }

    /**
     * A room of {@code count} members and a publisher, whose burst of lines every member must receive whole;
     * returns the pool's peak bytes.
     */
    private long roomReceivesEverything(final int count, final int poolBytes, final byte[] burst) {
        final InetSocketAddress address = start(new LoopConfig().ringCapacityBytes(RING_BYTES)
            .poolRings(poolBytes / RING_BYTES), LoopChatRoom.DEFAULT_CAPACITY_BYTES);
        join(address, count, 0, true);
        publisher = LoopbackClient.connect(address);
        harness.runUntil(() -> protocol.room().memberCount() == count + 1);
        expectEveryone(burst);
        publisher.send(burst);
        harness.runUntil(() -> everyReaderHas(burst.length));
        assertEquals(0, harness.counters().closedBy(CloseReason.SLOW_CONSUMER), "healthy members cut");
        assertEquals(0, publisher.receivedBytes(), "a line is not sent back to its sender");
        final long peak = harness.loop().pool().peakLeasedBytes();
        finish();
        return peak;
    }

    /** Closes every socket and checks the server closed them all and took back every ring. */
    private void finish() {
        for (final Member member : members) {
            member.close();
        }
        members.clear();
        publisher.close();
        harness.runUntil(() -> harness.loop().openConnections() == 0);
        assertEquals(0, protocol.room().memberCount());
        assertEquals(0, harness.leasedRings(), "every ring back in the pool");
        assertTrue(harness.errors().isEmpty(), () -> "loop errors: " + harness.errors());
        assertEquals(0, harness.counters().get(EngineCounter.HANDLER_ERRORS));
    }

    @Test
    void shouldDeliverEveryLineToFortyMembersOnAOneMegabytePool() {
        // 200 KB to each of 40 members is 8 MB of copies, eight times the pool: the old room, a ring per member,
        // cut healthy members when the pool ran dry. Catches a room that cuts members merely behind the head
        // (tried: making room by cutting everyone behind it, which cuts all 40 in the first cycle).
        final byte[] burst = lines(3000, 0);
        final long peak = roomReceivesEverything(40, 1 << 20, burst);
        assertTrue(peak <= RING_BYTES, "no pool memory per member: only the publisher's input ring, peak " + peak);
    }

    @Test
    void shouldDeliverEveryLineToARoomOfThreeHundredMembersWithoutPoolMemoryPerMember() {
        final long peak = roomReceivesEverything(300, 1 << 20, lines(200, 0));
        assertTrue(peak <= RING_BYTES, "no pool memory per member, peak " + peak);
    }

    /**
     * The room: 4,300 members at default settings, more than a 256 MiB pool of 64 KiB rings could copy to.
     * 8,600 sockets in this JVM, below the 20,000 open-files limit.
     */
    @Test
    @Tag("slow")
    void shouldDeliverEveryLineToARoomOfFourThousandThreeHundredMembers() {
        final long peak = roomReceivesEverything(4300, 256 << 20, lines(50, 0));
        assertTrue(peak <= RING_BYTES, "no pool memory per member, peak " + peak);
    }

    @Test
    void shouldCutOnlyTheMemberThatNeverReadsAndCountIt() {
        // Catches a room that never cuts (tried: making room without cutting: the silent member's stream then
        // holds overwritten bytes, and no slow consumer is counted) and one that cuts readers along with it.
        final int roomBytes = 64 * 1024;
        final InetSocketAddress address = start(new LoopConfig().ringCapacityBytes(RING_BYTES).poolRings(16)
            .socketSendBufferBytes(4096), roomBytes);
        join(address, 20, 0, true);
        join(address, 1, 4096, false);
        final Member silent = members.get(members.size() - 1);
        publisher = LoopbackClient.connect(address);
        harness.runUntil(() -> protocol.room().memberCount() == 22);
        final byte[] all = lines(20_000, 0); // about 1 MB: sixteen rooms' worth
        expectEveryone(all);
        for (int sent = 0; sent < all.length; ) {
            // Whole lines, about 16 KB at a time: a partial line is published only once its newline comes.
            int cut = Math.min(all.length, sent + 16 * 1024);
            while (all[cut - 1] != '\n') {
                cut--;
            }
            final int from = sent;
            final int end = cut;
            sent = cut;
            publisher.send(java.util.Arrays.copyOfRange(all, from, end));
            harness.runUntil(() -> everyReaderHas(end));
        }
        assertEquals(1, harness.counters().closedBy(CloseReason.SLOW_CONSUMER), "the silent member, once");
        assertEquals(21, protocol.room().memberCount());
        harness.runUntil(silent::drainedToEnd);
        assertTrue(silent.matched < all.length, "it was cut before the end, with a prefix of the lines");
        finish();
    }

    @Test
    void shouldAllocateNothingOnTheLoopThreadBroadcastingToARoom() throws Exception {
        // Catches an allocation per send from the ring (tried: making the gathering write's views per call).
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        harness = new LoopHarness(LoopHarness.smallConfig());
        protocol = new ChatProtocol(new LoopChatRoom(false), Chat.DEFAULT_MAX_LINE_BYTES);
        final InetSocketAddress address = harness.listenTcp(protocol);
        harness.startThread();
        final List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 11; i++) {
                final Socket socket = new Socket(address.getAddress(), address.getPort());
                socket.setTcpNoDelay(true);
                sockets.add(socket);
            }
            LoopHarness.await(() -> harness.counters().get(EngineCounter.CONNECTIONS_OPEN) == 11);
            final byte[] batch = lines(16, 0);
            final byte[] buffer = new byte[batch.length];
            final Runnable round = () -> broadcastRound(sockets, batch, buffer);
            for (int i = 0; i < 3_000; i++) {
                round.run();
            }
            final long before = threads.getThreadAllocatedBytes(harness.loopThread().getId());
            for (int i = 0; i < 3_000; i++) {
                round.run();
            }
            final long bytes = threads.getThreadAllocatedBytes(harness.loopThread().getId()) - before;
            assertTrue(bytes <= 1024, "loop thread allocated " + bytes + " bytes over 48,000 lines to 10 members");
        } finally {
            for (final Socket socket : sockets) {
                socket.close();
            }
        }
        LoopHarness.await(() -> harness.counters().get(EngineCounter.CONNECTIONS_OPEN) == 0);
        assertEquals(0, harness.counters().closedBy(CloseReason.SLOW_CONSUMER));
        assertEquals(0, harness.counters().get(EngineCounter.HANDLER_ERRORS));
    }

    /** The first socket publishes a batch; every other one reads it whole. */
    private static void broadcastRound(final List<Socket> sockets, final byte[] batch, final byte[] buffer) {
        try {
            final OutputStream out = sockets.get(0).getOutputStream();
            out.write(batch);
            for (int s = 1; s < sockets.size(); s++) {
                final InputStream in = sockets.get(s).getInputStream();
                int read = 0;
                while (read < buffer.length) {
                    final int n = in.read(buffer, read, buffer.length - read);
                    if (n < 0) {
                        throw new AssertionError("server closed member " + s);
                    }
                    read += n;
                }
            }
        } catch (final IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
