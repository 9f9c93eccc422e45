package dev.ringside.engine.endpoint;

import static dev.ringside.engine.testing.ProcNetTcp.TCP4;
import static dev.ringside.engine.testing.ProcNetTcp.TCP6;
import static dev.ringside.engine.testing.ProcNetTcp.connectionSockets;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

import dev.ringside.engine.counter.EngineCounter;
import dev.ringside.engine.protocol.echo.EchoProtocol;
import dev.ringside.engine.testing.LoopHarness;
import dev.ringside.engine.testing.Payloads;
import dev.ringside.engine.testing.ProcNetTcp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Sockets get their address's own family. Linux lists {@code AF_INET} sockets in {@code /proc/net/tcp} and
 * {@code AF_INET6} ones (dual-stack sockets carrying IPv4 too) in {@code /proc/net/tcp6}, which is how the tests
 * see the family. The bug these catch: opening channels with the JDK's default ({@code ServerSocketChannel.open()}
 * or {@code SocketChannel.open()}), which makes every socket a dual-stack IPv6 one.
 */
@Timeout(60)
class SocketFamilyTest {
    @Test
    void shouldListenAcceptAndConnectWithIpv4SocketsForAnIpv4Address() throws Exception {
        assumeTrue(ProcNetTcp.readable(), "needs Linux's /proc/net/tcp and tcp6");
        try (LoopHarness harness = new LoopHarness(LoopHarness.smallConfig())) {
            final InetSocketAddress address = harness.listenTcp(new EchoProtocol()); // 127.0.0.1:0
            final TcpConnection client = TcpConnection.connect(harness.loop(), address, null, new EchoProtocol(),
                ConnectionListener.NONE, 1);
            harness.runUntil(() -> harness.counters().get(EngineCounter.CONNECTIONS_OPEN) == 2);
            assertEquals(TcpConnection.State.ACTIVE, client.state());
            // The listener, the accepted socket and the outbound one.
            final String local = client.context().localAddress();
            final int clientPort = Integer.parseInt(local.substring(local.lastIndexOf(':') + 1));
            assertEquals(3, connectionSockets(TCP4, address.getPort(), clientPort), "AF_INET sockets");
            assertEquals(0, connectionSockets(TCP6, address.getPort(), clientPort), "AF_INET6 sockets");
        }
    }

    @Test
    void shouldStillServeIpv6WithIpv6Sockets() throws Exception {
        assumeTrue(Files.isReadable(TCP6), "needs Linux's /proc/net/tcp6");
        final InetAddress loopback6 = InetAddress.getByName("::1");
        try (LoopHarness harness = new LoopHarness(LoopHarness.smallConfig())) {
            final InetSocketAddress address;
            try {
                address = TcpAcceptor.open(harness.loop(), new InetSocketAddress(loopback6, 0), new EchoProtocol(),
                    ConnectionListener.NONE).localAddress();
            } catch (final IOException ex) {
                assumeTrue(false, "no IPv6 loopback here: " + ex.getMessage());
                return;
            }
            harness.startThread();
            try (SocketChannel client = SocketChannel.open(address)) {
                final byte[] message = "over ::1\n".getBytes(StandardCharsets.US_ASCII);
                Payloads.writeFully(client, message);
                assertArrayEquals(message, Payloads.readFully(client, message.length));
                final int clientPort = ((InetSocketAddress) client.getLocalAddress()).getPort();
                assertEquals(3, connectionSockets(TCP6, address.getPort(), clientPort),
                    "listener, accepted and client, AF_INET6");
            }
        }
    }

    @Test
    void shouldPickTheFamilyFromTheAddress() throws Exception {
        assertEquals(StandardProtocolFamily.INET, AddressFamily.of(new InetSocketAddress("127.0.0.1", 1)));
        assertEquals(StandardProtocolFamily.INET, AddressFamily.of(new InetSocketAddress("0.0.0.0", 1)));
        assertEquals(StandardProtocolFamily.INET6,
            AddressFamily.of(new InetSocketAddress(Inet6Address.getByName("::1"), 1)));
        // Unresolved: the JDK's default family, so connecting reports the JDK's own unresolved-address error.
        assertEquals(StandardProtocolFamily.INET6,
            AddressFamily.of(InetSocketAddress.createUnresolved("x.invalid", 1)));
    }
}
