package dev.ringside.engine.protocol.rr;

import static dev.ringside.engine.protocol.rr.RrProtocolTest.concat;
import static dev.ringside.engine.protocol.rr.RrProtocolTest.frame;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import dev.ringside.engine.counter.EngineCounter;
import dev.ringside.engine.protocol.CloseReason;
import dev.ringside.engine.testing.LoopHarness;
import dev.ringside.engine.testing.LoopbackClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
public class RrLoopbackTest {
    private final List<LoopbackClient> clients = new ArrayList<>();
    private LoopHarness harness;

    @AfterEach
    void closeAll() {
        for (final LoopbackClient client : clients) {
            client.close();
        }
        if (harness != null) {
            harness.close();
        }
    }

    private static byte[] randomPayload(final SplittableRandom random, final int length) {
        final byte[] payload = new byte[length];
        for (int i = 0; i < length; i++) {
            payload[i] = (byte) random.nextInt();
        }
        return payload;
    }

    private static byte[] fixedReply(final int size) {
        final byte[] payload = new byte[size];
        for (int i = 0; i < size; i++) {
            payload[i] = RrProtocol.patternByte(i);
        }
        return frame(size, payload);
    }

    @Test
    void shouldAnswerRandomRequestSizesOverTcpByteForByte() {
        final SplittableRandom random = new SplittableRandom(7);
        for (final int responseSize : new int[] {RrProtocol.SAME_AS_REQUEST, 0, 1, 333, 12_000}) {
            harness = new LoopHarness(LoopHarness.smallConfig());
            final InetSocketAddress address = harness.listenTcp(new RrProtocol(responseSize, LoopHarness.smallConfig(
                ).ringCapacityBytes()));
            final byte[][] expected = new byte[4][];
            for (int c = 0; c < 4; c++) {
                final LoopbackClient client = LoopbackClient.connect(address);
                clients.add(client);
                final ByteArrayOutputStream replies = new ByteArrayOutputStream();
                for (int i = 0; i < 40; i++) {
                    final byte[] request = frame(0, new byte[0]);
                    final int size = random.nextInt(0, 12_000);
                    final byte[] sized = frame(size, randomPayload(random, size));
                    client.send(i == 0 ? request : sized);
                    replies.writeBytes(responseSize < 0 ? (i == 0 ? request : sized) : fixedReply(responseSize));
                }
                expected[c] = replies.toByteArray();
            }
            harness.runUntil(() -> {
                for (int c = 0; c < 4; c++) {
                    clients.get(c).poll();
                    if (clients.get(c).receivedBytes() < expected[c].length) {
                        return false;
                    }
                }
                return true;
            });
            for (int c = 0; c < 4; c++) {
                assertArrayEquals(expected[c], clients.get(c).received(), "client " + c + ", reply " + responseSize);
            }
            assertEquals(160, harness.counters().get(EngineCounter.MESSAGES_IN));
            finishTcp();
        }
    }

    @Test
    void shouldAnswerRequestsLeftWaitingForOutputOnceOutputDrainsWithoutMoreInput() {
        // Small socket buffers force short writes: the third reply does not fit the outbound ring while the
        // second is still there, and the client sends nothing more, so only the drain can resume it.
        harness = new LoopHarness(LoopHarness.smallConfig().socketSendBufferBytes(4096));
        final InetSocketAddress address = harness.listenTcp(new RrProtocol(12_000, LoopHarness.smallConfig(
            ).ringCapacityBytes()));
        final LoopbackClient client = LoopbackClient.connect(address, 2048);
        clients.add(client);
        client.send(concat(frame("a"), frame("b"), frame("c"), frame("d")));
        harness.runUntil(() -> client.poll() && client.receivedBytes() >= 4 * 12_004);
        assertArrayEquals(concat(fixedReply(12_000), fixedReply(12_000), fixedReply(12_000), fixedReply(12_000)),
            client.received());
        finishTcp();
    }

    @Test
    void shouldAnswerEveryRequestWhenThePeerHalfClosesWhileRepliesAreBackedUp() {
        harness = new LoopHarness(LoopHarness.smallConfig().socketSendBufferBytes(4096));
        final InetSocketAddress address = harness.listenTcp(new RrProtocol(12_000, LoopHarness.smallConfig(
            ).ringCapacityBytes()));
        final LoopbackClient client = LoopbackClient.connect(address, 2048);
        clients.add(client);
        final ByteArrayOutputStream requests = new ByteArrayOutputStream();
        final ByteArrayOutputStream replies = new ByteArrayOutputStream();
        for (int i = 0; i < 20; i++) {
            requests.writeBytes(frame("request " + i));
            replies.writeBytes(fixedReply(12_000));
        }
        client.send(requests.toByteArray());
        client.shutdownOutput();
        harness.runUntil(() -> client.poll() && client.closedByPeer());
        assertArrayEquals(replies.toByteArray(), client.received());
        assertEquals(1, harness.counters().closedBy(CloseReason.PEER_CLOSED));
        finishTcp();
    }

    @Test
    void shouldCloseOnNegativeOrOversizedLengthsOverTcp() {
        harness = new LoopHarness(LoopHarness.smallConfig());
        final InetSocketAddress address = harness.listenTcp(new RrProtocol(RrProtocol.SAME_AS_REQUEST,
            LoopHarness.smallConfig().ringCapacityBytes()));
        final LoopbackClient negative = LoopbackClient.connect(address);
        final LoopbackClient oversized = LoopbackClient.connect(address);
        clients.add(negative);
        clients.add(oversized);
        negative.send(frame("fine"));
        harness.runUntil(() -> negative.poll() && negative.receivedBytes() == 8);
        // A protocol error closes at once: replies not yet sent are dropped with the connection.
        negative.send(frame(-5, new byte[0]));
        oversized.send(frame(16 * 1024 - 3, new byte[10]));
        harness.runUntil(() -> negative.poll() && oversized.poll()
            && negative.closedByPeer() && oversized.closedByPeer());
        assertArrayEquals(frame("fine"), negative.received());
        assertEquals(0, oversized.receivedBytes());
        assertEquals(1, harness.counters().closedBy(CloseReason.PROTOCOL_ERROR));
        assertEquals(1, harness.counters().closedBy(CloseReason.FRAME_TOO_LARGE));
        finishTcp();
    }

    private void finishTcp() {
        for (final LoopbackClient client : clients) {
            client.close();
        }
        clients.clear();
        harness.runUntil(() -> harness.loop().openConnections() == 0);
        assertEquals(0, harness.leasedRings(), "every ring back in the pool");
        assertTrue(harness.errors().isEmpty(), () -> "loop errors: " + harness.errors());
        assertEquals(0, harness.counters().get(EngineCounter.HANDLER_ERRORS));
        harness.close();
        harness = null;
    }

    @Test
    void shouldAnswerRandomRequestSizesOverUdpOneDatagramEach() throws IOException {
        final SplittableRandom random = new SplittableRandom(11);
        for (final int responseSize : new int[] {RrProtocol.SAME_AS_REQUEST, 0, 1000, 60_000}) {
            harness = new LoopHarness(LoopHarness.smallConfig());
            final InetSocketAddress address = harness.listenUdp(
                new RrProtocol(responseSize, 1 << 20));
            try (DatagramChannel channel = DatagramChannel.open()) {
                channel.connect(address);
                channel.configureBlocking(false);
                final ByteBuffer reply = ByteBuffer.allocate(65_536);
                for (int i = 0; i < 50; i++) {
                    final int size = i == 0 ? 0 : random.nextInt(0, 8_000);
                    final byte[] request = frame(size, randomPayload(random, size));
                    channel.write(ByteBuffer.wrap(request));
                    reply.clear();
                    harness.runUntil(() -> read(channel, reply) > 0);
                    final byte[] expected = responseSize < 0 ? request : fixedReply(responseSize);
                    assertArrayEquals(expected, Arrays.copyOf(reply.array(), reply.position()), "datagram " + i);
                }
                // A datagram whose length field disagrees gets no reply and breaks nothing.
                channel.write(ByteBuffer.wrap(frame(99, new byte[3])));
                channel.write(ByteBuffer.wrap(frame("next")));
                reply.clear();
                harness.runUntil(() -> read(channel, reply) > 0);
                assertArrayEquals(responseSize < 0 ? frame("next") : fixedReply(responseSize),
                    Arrays.copyOf(reply.array(), reply.position()));
            }
            assertEquals(52, harness.counters().get(EngineCounter.DATAGRAMS_IN));
            assertEquals(51, harness.counters().get(EngineCounter.DATAGRAMS_OUT));
            assertEquals(0, harness.counters().get(EngineCounter.DATAGRAM_ERRORS));
            assertEquals(0, harness.leasedRings(), "datagrams are answered in place, without rings");
            assertTrue(harness.errors().isEmpty(), () -> "loop errors: " + harness.errors());
            harness.close();
            harness = null;
        }
    }

    public static int read(final DatagramChannel channel, final ByteBuffer buffer) {
        try {
            return channel.read(buffer);
        } catch (final IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }
}
