package dev.ringside.engine.endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

import dev.ringside.engine.counter.EngineCounter;
import dev.ringside.engine.protocol.CloseReason;
import dev.ringside.engine.protocol.DatagramHandler;
import dev.ringside.engine.testing.Descriptors;
import dev.ringside.engine.testing.LoopHarness;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link UdpEndpoint}'s contract at its edges, on real loopback sockets: the per-poll budget, the size limit at
 * exactly the limit, byte counters, a handler that throws or closes its own endpoint, an empty reply, the client
 * side's bind address and counters, port sharing, the receive-buffer option left alone, and sockets closed when
 * opening fails. Written against the surviving mutants of the PIT run in perf/RESULTS.md (issue 16, fourth
 * session); each test names the mutants it kills.
 */
@Timeout(60)
class UdpEndpointContractTest {
    private static final int POLL_CAP = 10_000;

    /** Kills {@code received < budget} as {@code <=} (a poll takes one more) and the loop condition as false. */
    @Test
    void shouldReceiveAtMostTheBudgetInOnePoll() throws Exception {
        try (LoopHarness harness = new LoopHarness(LoopHarness.smallConfig().datagramBudget(4));
            DatagramChannel client = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            final UdpEndpoint server = UdpEndpoint.bind(harness.loop(), new InetSocketAddress("127.0.0.1", 0),
                (buffer, length, sender) -> DatagramHandler.NO_REPLY);
            for (int i = 0; i < 10; i++) {
                client.send(ByteBuffer.wrap(new byte[] {(byte) i}), server.localAddress());
            }
            int total = 0;
            int polls = 0;
            for (int i = 0; i < POLL_CAP && total < 10; i++) {
                final int received = server.pollDatagrams();
                assertTrue(received <= 4, "one poll received " + received + " with a budget of 4");
                if (received > 0) {
                    polls++;
                }
                total += received;
            }
            assertEquals(10, total);
            assertTrue(polls >= 3, "10 datagrams at 4 a poll need 3 polls, took " + polls);
            assertEquals(10, harness.counters().get(EngineCounter.DATAGRAMS_IN));
        }
    }

    /**
     * A handler that closes its own endpoint stops the poll there. Kills the {@code !closed} loop condition
     * removed (the next receive on the closed channel fails and counts an error) and {@code close} not marking
     * the endpoint closed, not closing its channel (the port stays bound) or not leaving the loop's resources.
     */
    @Test
    void shouldStopPollingWhenTheHandlerClosesItsEndpointAndFreeThePort() throws Exception {
        try (LoopHarness harness = new LoopHarness(LoopHarness.smallConfig());
            DatagramChannel client = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            final UdpEndpoint[] self = new UdpEndpoint[1];
            final int[] handled = {0};
            final int resourcesBefore = harness.loop().resourceCount();
            self[0] = UdpEndpoint.bind(harness.loop(), new InetSocketAddress("127.0.0.1", 0),
                (buffer, length, sender) -> {
                    handled[0]++;
                    self[0].close(CloseReason.LOCAL_CLOSE);
                    return DatagramHandler.NO_REPLY;
                });
            assertEquals(resourcesBefore + 1, harness.loop().resourceCount());
            final InetSocketAddress address = self[0].localAddress();
            for (int i = 0; i < 3; i++) {
                client.send(ByteBuffer.wrap(new byte[] {(byte) i}), address);
            }
            int received = 0;
            for (int i = 0; i < POLL_CAP && received == 0; i++) {
                received = self[0].pollDatagrams();
            }
            assertEquals(1, received);
            assertEquals(1, handled[0]);
            assertTrue(self[0].isClosed());
            assertEquals(0, harness.counters().get(EngineCounter.DATAGRAM_ERRORS), "no receive after the close");
            assertEquals(0, self[0].pollDatagrams(), "a closed endpoint receives nothing");
            assertEquals(resourcesBefore, harness.loop().resourceCount());
            self[0].close(CloseReason.LOCAL_CLOSE);
            assertEquals(resourcesBefore, harness.loop().resourceCount(), "close is idempotent");
            // The socket is closed: the JDK releases a registered channel's port at the selector's next select, so
            // a duty cycle or two later the same port binds again (no SO_REUSEADDR on these sockets).
            harness.runUntil(() -> canBind(address));
        }
    }

    /**
     * A datagram of exactly {@code maxDatagramBytes} is answered, one byte more is dropped; the byte counters
     * count payload bytes. Kills {@code length > maxDatagramBytes} as {@code >=} and both byte counters removed.
     */
    @Test
    void shouldAnswerADatagramOfExactlyTheLimitAndCountItsBytes() throws Exception {
        try (LoopHarness harness = new LoopHarness(LoopHarness.smallConfig().maxDatagramBytes(1024));
            DatagramChannel client = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            final UdpEndpoint server = UdpEndpoint.bind(harness.loop(), new InetSocketAddress("127.0.0.1", 0),
                (buffer, length, sender) -> length);
            client.connect(server.localAddress());
            client.configureBlocking(false);
            client.write(ByteBuffer.allocate(1025));
            client.write(ByteBuffer.allocate(1024));
            final ByteBuffer reply = ByteBuffer.allocate(4096);
            harness.runUntil(() -> read(client, reply) > 0);
            assertEquals(1024, reply.position());
            assertEquals(1, harness.counters().get(EngineCounter.DATAGRAMS_OVERSIZED));
            assertEquals(1, harness.counters().get(EngineCounter.DATAGRAMS_IN));
            assertEquals(1024, harness.counters().get(EngineCounter.DATAGRAM_BYTES_IN));
            assertEquals(1, harness.counters().get(EngineCounter.DATAGRAMS_OUT));
            assertEquals(1024, harness.counters().get(EngineCounter.DATAGRAM_BYTES_OUT));
        }
    }

    /**
     * A handler that throws loses that datagram only (counted, reported) and the next one is answered; a
     * reply of zero bytes is still a reply, sent and counted as sent. Kills the handler-error report removed and
     * {@code replyLength >= 0} as {@code > 0}; before the fix in {@code sendFrom} an empty reply was sent but
     * counted as dropped ({@code send} returns 0 for it, as for a full buffer).
     */
    @Test
    void shouldSurviveAThrowingHandlerAndSendAnEmptyReply() throws Exception {
        try (LoopHarness harness = new LoopHarness(LoopHarness.smallConfig());
            DatagramChannel client = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            final UdpEndpoint server = UdpEndpoint.bind(harness.loop(), new InetSocketAddress("127.0.0.1", 0),
                (buffer, length, sender) -> {
                    if (buffer.getByte(0) == 'x') {
                        throw new IllegalStateException("bad datagram");
                    }
                    return 0;
                });
            client.configureBlocking(false);
            client.send(ByteBuffer.wrap(new byte[] {'x'}), server.localAddress());
            client.send(ByteBuffer.wrap(new byte[] {'y'}), server.localAddress());
            final ByteBuffer reply = ByteBuffer.allocate(64);
            final SocketAddress[] from = new SocketAddress[1];
            harness.runUntil(() -> (from[0] = receive(client, reply)) != null);
            assertEquals(server.localAddress(), from[0]);
            assertEquals(0, reply.position(), "the empty reply arrives as an empty datagram");
            assertEquals(1, harness.counters().get(EngineCounter.HANDLER_ERRORS));
            assertEquals(1, harness.errors().size());
            assertEquals(2, harness.counters().get(EngineCounter.DATAGRAMS_IN));
            assertEquals(1, harness.counters().get(EngineCounter.DATAGRAMS_OUT));
            assertEquals(0, harness.counters().get(EngineCounter.DATAGRAM_BYTES_OUT));
            assertFalse(server.isClosed());
        }
    }

    /**
     * A client endpoint binds the local address it is given, sends (true, counted) and hands replies to its
     * handler with the peer as sender; a server endpoint refuses {@code send}. Kills the bind-address choice
     * negated, {@code send} answering false or not counting, and the connected read path's sender.
     */
    @Test
    void shouldBindTheGivenLocalAddressSendCountedAndReceiveFromThePeer() throws Exception {
        try (LoopHarness harness = new LoopHarness(LoopHarness.smallConfig())) {
            final UdpEndpoint server = UdpEndpoint.bind(harness.loop(), new InetSocketAddress("127.0.0.1", 0),
                (buffer, length, sender) -> length);
            final SocketAddress[] from = new SocketAddress[1];
            final int[] replyLength = {-1};
            final UdpEndpoint client = UdpEndpoint.connect(harness.loop(), new InetSocketAddress("127.0.0.2", 0),
                server.localAddress(), (buffer, length, sender) -> {
                    from[0] = sender;
                    replyLength[0] = length;
                    return DatagramHandler.NO_REPLY;
                });
            assertEquals("127.0.0.2", client.localAddress().getAddress().getHostAddress());
            assertTrue(client.localAddress().getPort() > 0);
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[100]);
            assertTrue(client.send(payload, 10, 48));
            harness.runUntil(() -> replyLength[0] >= 0);
            assertEquals(48, replyLength[0]);
            assertEquals(server.localAddress(), from[0]);
            // The client's one send and the server's one reply.
            assertEquals(2, harness.counters().get(EngineCounter.DATAGRAMS_OUT));
            assertEquals(96, harness.counters().get(EngineCounter.DATAGRAM_BYTES_OUT));
            assertThrows(IllegalStateException.class, () -> server.send(payload, 0, 8));

            final Object state = new Object();
            client.attach(state);
            assertSame(state, client.attachment());
        }
    }

    /**
     * With {@code reusePort} two server endpoints share one port; without it the second bind fails. With no
     * receive-buffer size configured the kernel's default stays (setting 0 would shrink it to the minimum).
     * Kills the {@code SO_REUSEPORT} option removed and {@code datagramReceiveBufferBytes() > 0} as {@code >= 0}.
     */
    @Test
    void shouldSharePortsOnlyWhenAskedAndLeaveTheDefaultReceiveBuffer() throws Exception {
        try (LoopHarness harness = new LoopHarness(LoopHarness.smallConfig());
            DatagramChannel plain = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            final DatagramHandler discard = (buffer, length, sender) -> DatagramHandler.NO_REPLY;
            final UdpEndpoint first = UdpEndpoint.bind(harness.loop(), new InetSocketAddress("127.0.0.1", 0),
                discard, new ReflectionGuard(), true);
            final UdpEndpoint second = UdpEndpoint.bind(harness.loop(), first.localAddress(), discard,
                new ReflectionGuard(), true);
            assertEquals(first.localAddress(), second.localAddress());
            assertThrows(IOException.class, () -> UdpEndpoint.bind(harness.loop(),
                new InetSocketAddress("127.0.0.1", ((InetSocketAddress) plain.getLocalAddress()).getPort()), discard));
            assertEquals(0, harness.loop().config().datagramReceiveBufferBytes());
            assertEquals(plain.getOption(java.net.StandardSocketOptions.SO_RCVBUF), first.receiveBufferBytes());
        }
    }

    /**
     * A bind or connect that fails closes the socket it opened. Kills each of the three {@code channel.close()}
     * calls on the failure paths removed: 50 failures would leak 50 descriptors.
     */
    @Test
    void shouldCloseTheSocketWhenOpeningFails() throws Exception {
        try (LoopHarness harness = new LoopHarness(LoopHarness.smallConfig());
            DatagramChannel taken = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            final DatagramHandler discard = (buffer, length, sender) -> DatagramHandler.NO_REPLY;
            final InetSocketAddress inUse = (InetSocketAddress) taken.getLocalAddress();
            final long before = Descriptors.open();
            for (int i = 0; i < 50; i++) {
                // bind fails in open(): the port is taken.
                assertThrows(IOException.class, () -> UdpEndpoint.bind(harness.loop(), inUse, discard));
                // connect fails after open(): the peer cannot be resolved.
                assertThrows(RuntimeException.class, () -> UdpEndpoint.connect(harness.loop(),
                    new InetSocketAddress("127.0.0.1", 0), InetSocketAddress.createUnresolved("no.such.host", 9),
                    discard));
            }
            harness.loop().close();
            for (int i = 0; i < 50; i++) {
                // The constructor fails once the loop's selector is closed.
                assertThrows(RuntimeException.class, () -> UdpEndpoint.bind(harness.loop(),
                    new InetSocketAddress("127.0.0.1", 0), discard));
            }
            final long after = Descriptors.open();
            assertTrue(after - before < 20, "descriptors before " + before + ", after 150 failed opens " + after);
        }
    }

    private static boolean canBind(final InetSocketAddress address) {
        try (DatagramChannel again = DatagramChannel.open()) {
            again.bind(address);
            return true;
        } catch (final IOException ex) {
            return false;
        }
    }

    private static int read(final DatagramChannel channel, final ByteBuffer buffer) {
        try {
            return channel.read(buffer);
        } catch (final IOException ex) {
            throw new AssertionError(ex);
        }
    }

    private static SocketAddress receive(final DatagramChannel channel, final ByteBuffer buffer) {
        try {
            return channel.receive(buffer);
        } catch (final IOException ex) {
            throw new AssertionError(ex);
        }
    }
}
