package dev.ringside.engine.endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import dev.ringside.engine.buffer.DatagramBuffers;
import dev.ringside.engine.counter.EngineCounter;
import dev.ringside.engine.protocol.CloseReason;
import dev.ringside.engine.protocol.DatagramHandler;
import dev.ringside.engine.protocol.echo.EchoProtocol;
import dev.ringside.engine.testing.LoopHarness;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A UDP socket costs what its objects cost: all the client endpoints of a loop (and its server endpoints) share the
 * loop's one receive and one send buffer, and sharing them mixes no datagrams up.
 * Catches: a buffer per endpoint again (500 sockets would add 500 x 128 KiB of direct memory); a reply handed to
 * the wrong endpoint or overwritten by another endpoint's request in the shared buffers (the payload check).
 */
@Timeout(60)
class UdpSocketCostTest {
    private static final int SOCKETS = 500;
    private static final int ROUND = 50;

    private static long directBytes() {
        for (final BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if ("direct".equals(pool.getName())) {
                return pool.getMemoryUsed();
            }
        }
        throw new AssertionError("no direct buffer pool");
    }

    @Test
    void shouldShareTheLoopsTwoBuffersAcrossFiveHundredClientSocketsAndKeepEveryReplyApart() throws Exception {
        try (LoopHarness harness = new LoopHarness(LoopHarness.smallConfig())) {
            final InetSocketAddress server = harness.listenUdp(new EchoProtocol());
            final long before = directBytes();
            final List<UdpEndpoint> clients = new ArrayList<>();
            final String[] received = new String[SOCKETS];
            for (int i = 0; i < SOCKETS; i++) {
                final int index = i;
                final DatagramHandler onReply = (buffer, length, sender) -> {
                    received[index] = buffer.getStringWithoutLengthAscii(0, length);
                    return DatagramHandler.NO_REPLY;
                };
                clients.add(UdpEndpoint.connect(harness.loop(), null, server, onReply));
            }
            // The server endpoint made the loop's pair already; 500 more sockets add no direct memory at all
            // (other tests' threads may free some meanwhile, never add 64 KiB per socket).
            final long added = directBytes() - before;
            assertTrue(added < DatagramBuffers.RECEIVE_BYTES,
                SOCKETS + " UDP sockets added " + added + " bytes of direct memory");

            final UnsafeBuffer request = new UnsafeBuffer(new byte[64]);
            // In rounds of 50, so the server socket's default receive buffer never overflows.
            for (int first = 0; first < SOCKETS; first += ROUND) {
                for (int i = first; i < first + ROUND; i++) {
                    final int length = request.putStringWithoutLengthAscii(0, "socket " + i);
                    assertTrue(clients.get(i).send(request, 0, length));
                }
                final long answered = 2L * (first + ROUND);
                harness.runUntil(() -> harness.counters().get(EngineCounter.DATAGRAMS_IN) == answered);
            }
            for (int i = 0; i < SOCKETS; i++) {
                assertEquals("socket " + i, received[i], "the reply socket " + i + " got");
            }
            assertEquals(2L * SOCKETS, harness.counters().get(EngineCounter.DATAGRAMS_OUT));
            assertEquals(0, harness.counters().get(EngineCounter.DATAGRAM_ERRORS));
            assertEquals(0, harness.counters().get(EngineCounter.DATAGRAMS_DROPPED));
            for (final UdpEndpoint client : clients) {
                client.close(CloseReason.LOCAL_CLOSE);
            }
        }
    }

    @Test
    void shouldGiveEachLoopItsOwnPairMadeOnFirstUse() {
        try (LoopHarness one = new LoopHarness(LoopHarness.smallConfig());
             LoopHarness two = new LoopHarness(LoopHarness.smallConfig().maxDatagramBytes(1_000))) {
            final DatagramBuffers first = one.loop().datagramBuffers();
            assertTrue(first == one.loop().datagramBuffers(), "one pair per loop");
            assertTrue(first != two.loop().datagramBuffers(), "loops share nothing");
            assertEquals(DatagramBuffers.RECEIVE_BYTES, first.receive().capacity(), "the largest datagram fits");
            assertEquals(1_000, two.loop().datagramBuffers().send().capacity());
        }
    }
}
