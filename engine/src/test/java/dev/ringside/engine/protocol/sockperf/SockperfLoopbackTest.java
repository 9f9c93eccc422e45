package dev.ringside.engine.protocol.sockperf;

import static dev.ringside.engine.protocol.rr.RrProtocolTest.concat;
import static dev.ringside.engine.protocol.sockperf.SockperfProtocolTest.CLIENT;
import static dev.ringside.engine.protocol.sockperf.SockperfProtocolTest.PONG;
import static dev.ringside.engine.protocol.sockperf.SockperfProtocolTest.WARMUP;
import static dev.ringside.engine.protocol.sockperf.SockperfProtocolTest.message;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import dev.ringside.engine.counter.EngineCounter;
import dev.ringside.engine.protocol.CloseReason;
import dev.ringside.engine.protocol.rr.RrLoopbackTest;
import dev.ringside.engine.testing.LoopHarness;
import dev.ringside.engine.testing.LoopbackClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SockperfLoopbackTest {
    @Test
    void shouldAnswerPongRequestsInAFramedTcpStream() {
        try (LoopHarness harness = new LoopHarness(LoopHarness.smallConfig())) {
            final InetSocketAddress address = harness.listenTcp(new SockperfProtocol(LoopHarness.smallConfig(
                ).ringCapacityBytes()));
            final ByteArrayOutputStream expected = new ByteArrayOutputStream();
            try (LoopbackClient client = LoopbackClient.connect(address)) {
                for (int i = 0; i < 500; i++) {
                    final int length = 14 + i * 13 % 3000;
                    final int flags = i % 10 == 0 ? CLIENT | PONG | WARMUP : i % 3 == 0 ? CLIENT : CLIENT | PONG;
                    client.send(message(i, flags, length));
                    if (SockperfProtocol.wantsReply(flags)) {
                        expected.writeBytes(message(i, flags & ~CLIENT, length));
                    }
                }
                harness.runUntil(() -> client.poll() && client.receivedBytes() >= expected.size());
                assertArrayEquals(expected.toByteArray(), client.received());
                assertEquals(500, harness.counters().get(EngineCounter.MESSAGES_IN));
            }
            harness.runUntil(() -> harness.loop().openConnections() == 0);
            assertEquals(1, harness.counters().closedBy(CloseReason.PEER_CLOSED));
            assertEquals(0, harness.leasedRings());
            assertTrue(harness.errors().isEmpty());
        }
    }

    @Test
    void shouldAnswerPongRequestDatagrams() throws IOException {
        try (LoopHarness harness = new LoopHarness(LoopHarness.smallConfig());
             DatagramChannel channel = DatagramChannel.open()) {
            final InetSocketAddress address = harness.listenUdp(new SockperfProtocol(64 * 1024));
            channel.connect(address);
            channel.configureBlocking(false);
            final ByteBuffer reply = ByteBuffer.allocate(65_536);
            channel.write(ByteBuffer.wrap(concat(message(1, CLIENT, 64))));
            channel.write(ByteBuffer.wrap(message(2, CLIENT | PONG | WARMUP, 64)));
            for (int i = 3; i < 100; i++) {
                final int length = 14 + i * 97 % 9000;
                channel.write(ByteBuffer.wrap(message(i, CLIENT | PONG, length)));
                reply.clear();
                harness.runUntil(() -> RrLoopbackTest.read(channel, reply) > 0);
                assertArrayEquals(message(i, PONG, length), Arrays.copyOf(reply.array(), reply.position()));
            }
            assertEquals(99, harness.counters().get(EngineCounter.DATAGRAMS_IN));
            assertEquals(97, harness.counters().get(EngineCounter.DATAGRAMS_OUT));
            assertEquals(0, harness.counters().get(EngineCounter.DATAGRAM_ERRORS));
            assertEquals(0, harness.leasedRings());
            assertTrue(harness.errors().isEmpty());
        }
    }
}
