package dev.ringside.engine.endpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;

import dev.ringside.engine.counter.EngineCounter;
import dev.ringside.engine.protocol.DatagramHandler;
import dev.ringside.engine.protocol.echo.EchoProtocol;
import dev.ringside.engine.testing.LoopHarness;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class UdpEchoTest {
    @Test
    void shouldSizeTheDatagramReceiveBufferWithoutTouchingStreamSockets() throws Exception {
        final int requested = 1 << 20;
        try (LoopHarness harness = new LoopHarness(LoopHarness.smallConfig().datagramReceiveBufferBytes(requested))) {
            assertEquals(requested, harness.loop().config().datagramReceiveBufferBytes());
            assertEquals(0, harness.loop().config().socketReceiveBufferBytes());
            final UdpEndpoint endpoint = UdpEndpoint.bind(harness.loop(), new InetSocketAddress("127.0.0.1", 0),
                new EchoProtocol().newDatagramHandler("127.0.0.1:0"));
            // Linux reports twice the value it was given (for its bookkeeping), capped through rmem_max.
            final int cap = Integer.parseInt(java.nio.file.Files.readString(
                java.nio.file.Path.of("/proc/sys/net/core/rmem_max")).trim());
            final int actual = endpoint.receiveBufferBytes();
            assertTrue(actual >= Math.min(requested, cap), "SO_RCVBUF " + actual + " for " + requested + " requested");
        }
    }

    @Test
    void shouldEchoDatagramsFrom500ClientSockets() throws Exception {
        try (LoopHarness harness = new LoopHarness(LoopHarness.smallConfig())) {
            final InetSocketAddress address = harness.listenUdp(new EchoProtocol());
            final List<DatagramChannel> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 500; i++) {
                    final DatagramChannel client = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
                    client.connect(address);
                    client.configureBlocking(false);
                    clients.add(client);
                }
                int echoed = 0;
                for (int round = 0; round < 10; round++) {
                    final int first = round * 50;
                    for (int i = first; i < first + 50; i++) {
                        clients.get(i).write(ByteBuffer.wrap(datagram(i)));
                    }
                    final boolean[] done = new boolean[50];
                    final int[] count = {0};
                    harness.runUntil(() -> {
                        for (int i = 0; i < 50; i++) {
                            if (!done[i] && receive(clients.get(first + i), first + i)) {
                                done[i] = true;
                                count[0]++;
                            }
                        }
                        return count[0] == 50;
                    });
                    echoed += count[0];
                }
                assertEquals(500, echoed);
                assertEquals(500, harness.counters().get(EngineCounter.DATAGRAMS_IN));
                assertEquals(500, harness.counters().get(EngineCounter.DATAGRAMS_OUT));
            } finally {
                for (final DatagramChannel client : clients) {
                    client.close();
                }
            }
        }
    }

    @Test
    void shouldDropAndCountOversizedDatagram() throws Exception {
        try (LoopHarness harness = new LoopHarness(LoopHarness.smallConfig().maxDatagramBytes(1024))) {
            final InetSocketAddress address = harness.listenUdp(new EchoProtocol());
            try (DatagramChannel client = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
                client.connect(address);
                client.configureBlocking(false);
                client.write(ByteBuffer.allocate(2000));
                harness.runUntil(() -> harness.counters().get(EngineCounter.DATAGRAMS_OVERSIZED) == 1);
                client.write(ByteBuffer.wrap(datagram(1)));
                harness.runUntil(() -> harness.counters().get(EngineCounter.DATAGRAMS_OUT) == 1);
                final ByteBuffer reply = ByteBuffer.allocate(4096);
                harness.runUntil(() -> read(client, reply) > 0);
                assertEquals(datagram(1).length, reply.position(), "only the small datagram is echoed");
                assertEquals(1, harness.counters().get(EngineCounter.DATAGRAMS_IN));
            }
        }
    }

    @Test
    void shouldCountPortUnreachableOnConnectedClientEndpoint() throws Exception {
        final InetSocketAddress closedPort;
        try (DatagramChannel probe = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            closedPort = (InetSocketAddress) probe.getLocalAddress();
        }
        try (LoopHarness harness = new LoopHarness(LoopHarness.smallConfig())) {
            final UdpEndpoint client = UdpEndpoint.connect(harness.loop(), null, closedPort,
                (buffer, length, sender) -> DatagramHandler.NO_REPLY);
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[16]);
            assertTrue(client.send(payload, 0, 16));
            // Linux reports the ICMP error on the connected socket: the next receive fails, and is counted.
            harness.runUntil(() -> {
                client.send(payload, 0, 16);
                return harness.counters().get(EngineCounter.DATAGRAM_ERRORS) >= 1;
            });
            assertNull(client.attachment());
        }
    }

    private static int read(final DatagramChannel channel, final ByteBuffer buffer) {
        try {
            return channel.read(buffer);
        } catch (final java.io.IOException ex) {
            throw new AssertionError(ex);
        }
    }

    private static boolean receive(final DatagramChannel channel, final int i) {
        final ByteBuffer buffer = ByteBuffer.allocate(256);
        final int n = read(channel, buffer);
        if (n <= 0) {
            return false;
        }
        final byte[] got = new byte[n];
        buffer.flip().get(got);
        assertArrayEquals(datagram(i), got);
        return true;
    }

    private static byte[] datagram(final int i) {
        return ("datagram from client " + i).getBytes();
    }
}
