package dev.ringside.engine.endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Collections;

import dev.ringside.engine.counter.EngineCounter;
import dev.ringside.engine.protocol.echo.EchoProtocol;
import dev.ringside.engine.testing.LoopHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * UDP reflection: a server never answers a datagram whose source is one of its own endpoints, or port 0.
 * The decision is tested with the addresses of really bound sockets; the drop with real datagrams on
 * loopback (a port-0 source cannot be sent without raw sockets, so that case is the decision only).
 */
@Timeout(60)
class ReflectionGuardTest {
    @Test
    void shouldRefuseOwnPortFromAnyAddressOfThisHostAndPortZero() throws Exception {
        try (DatagramChannel specific = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
             DatagramChannel wildcard = DatagramChannel.open(StandardProtocolFamily.INET)
                 .bind(new InetSocketAddress("0.0.0.0", 0))) {
            final ReflectionGuard guard = new ReflectionGuard();
            final InetSocketAddress first = (InetSocketAddress) specific.getLocalAddress();
            final InetSocketAddress second = (InetSocketAddress) wildcard.getLocalAddress();
            guard.addEndpoint(first);
            guard.addEndpoint(second);
            // Without the guard registering the second endpoint, two endpoints of one server would ping-pong.
            assertTrue(guard.refuses(first));
            assertTrue(guard.refuses(new InetSocketAddress("127.0.0.1", second.getPort())), "wildcard bind");
            assertTrue(guard.refuses(new InetSocketAddress("127.3.2.1", second.getPort())), "all of 127/8");
            assertTrue(guard.refuses(new InetSocketAddress("0.0.0.0", second.getPort())));
            assertTrue(guard.refuses(new InetSocketAddress("::1", first.getPort())));
            for (final NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (final InetAddress address : Collections.list(nic.getInetAddresses())) {
                    assertTrue(guard.refuses(new InetSocketAddress(address, second.getPort())), address.toString());
                }
            }
            // Port 0 is never a real sender, whatever the address.
            assertTrue(guard.refuses(new InetSocketAddress("127.0.0.1", 0)));
            assertTrue(guard.refuses(new InetSocketAddress("192.0.2.7", 0)));
            // Everyone else is answered: another port here, or our port number on another host.
            assertFalse(guard.refuses(new InetSocketAddress("127.0.0.1", otherPort(first, second))));
            assertFalse(guard.refuses(new InetSocketAddress("192.0.2.7", first.getPort())));
        }
    }

    @Test
    void shouldDropDatagramFromOwnEndpointAndKeepAnsweringOthers() throws Exception {
        try (LoopHarness harness = new LoopHarness(LoopHarness.smallConfig())) {
            final ReflectionGuard guard = new ReflectionGuard();
            final EchoProtocol echo = new EchoProtocol();
            final UdpEndpoint first = UdpEndpoint.bind(harness.loop(), new InetSocketAddress("127.0.0.1", 0),
                echo.newDatagramHandler("first"), guard);
            final UdpEndpoint second = UdpEndpoint.bind(harness.loop(), new InetSocketAddress("127.0.0.1", 0),
                echo.newDatagramHandler("second"), guard);
            // The first endpoint's port on another loopback address: a source the server could have sent
            // from (bound to the wildcard it would), the closest a test can get without forging packets.
            try (DatagramChannel forged = DatagramChannel.open()
                     .bind(new InetSocketAddress("127.0.0.2", first.localAddress().getPort()));
                 DatagramChannel client = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
                forged.configureBlocking(false);
                client.configureBlocking(false);
                forged.send(ByteBuffer.wrap("loop?".getBytes()), second.localAddress());
                forged.send(ByteBuffer.wrap("loop?".getBytes()), first.localAddress());
                // Datagrams into one socket keep their order on loopback: once the marker is answered the
                // forged one before it has been handled.
                client.send(ByteBuffer.wrap("marker".getBytes()), second.localAddress());
                final ByteBuffer reply = ByteBuffer.allocate(64);
                harness.runUntil(() -> receive(client, reply) != null);
                client.send(ByteBuffer.wrap("marker".getBytes()), first.localAddress());
                reply.clear();
                harness.runUntil(() -> receive(client, reply) != null);
                // Without the guard: both forged datagrams are answered, the forged socket gets two replies.
                assertEquals(2, harness.counters().get(EngineCounter.DATAGRAMS_REFUSED));
                assertEquals(2, harness.counters().get(EngineCounter.DATAGRAMS_IN));
                assertEquals(2, harness.counters().get(EngineCounter.DATAGRAMS_OUT));
                assertNull(receive(forged, ByteBuffer.allocate(64)), "the forged source got an answer");
                // Nothing keeps the loop busy afterwards: more cycles receive nothing more.
                for (int i = 0; i < 1000; i++) {
                    harness.cycle();
                }
                assertEquals(2, harness.counters().get(EngineCounter.DATAGRAMS_IN));
                assertEquals(2, harness.counters().get(EngineCounter.DATAGRAMS_REFUSED));
            }
        }
    }

    private static int otherPort(final InetSocketAddress first, final InetSocketAddress second) {
        int port = 40_000;
        while (port == first.getPort() || port == second.getPort()) {
            port++;
        }
        return port;
    }

    private static InetSocketAddress receive(final DatagramChannel channel, final ByteBuffer buffer) {
        try {
            return (InetSocketAddress) channel.receive(buffer);
        } catch (final java.io.IOException ex) {
            throw new AssertionError(ex);
        }
    }
}
