package dev.ringside.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

import dev.ringside.engine.counter.EngineCounter;
import dev.ringside.engine.protocol.echo.EchoProtocol;
import dev.ringside.engine.testing.Payloads;
import dev.ringside.engine.testing.ProcNetTcp;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The blocking models listen and accept in the address's own family, like the selector loop
 * ({@code endpoint.SocketFamilyTest}), so {@code compare} sets IPv4 sockets against IPv4 sockets. The bug this
 * catches: {@code BlockingAcceptor} opening its listener with {@code ServerSocketChannel.open()}, the JDK's
 * dual-stack {@code AF_INET6} default (the listener and every accepted socket then show in {@code tcp6}).
 */
@Timeout(60)
class BlockingSocketFamilyTest {

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ServerModel.class, names = {"THREAD", "POOL"})
    void shouldListenAndAcceptWithIpv4SocketsForAnIpv4Address(final ServerModel model) throws Exception {
        assumeTrue(ProcNetTcp.readable(), "needs Linux's /proc/net/tcp and tcp6");
        SelectedModels.assume(model);
        try (ModelServer server = ModelServer.start(model, new EchoProtocol(), ModelServer.config(),
                ModelServer.POOL_THREADS);
            SocketChannel client = SocketChannel.open(StandardProtocolFamily.INET)) {
            final InetSocketAddress address = server.tcp();
            client.connect(address);
            final byte[] message = "ipv4\n".getBytes(StandardCharsets.US_ASCII);
            Payloads.writeFully(client, message);
            Payloads.readFully(client, message.length);
            server.await(EngineCounter.CONNECTIONS_ACCEPTED, 1);
            // The listener, the accepted socket and the client.
            final int clientPort = ((InetSocketAddress) client.getLocalAddress()).getPort();
            assertEquals(3, ProcNetTcp.connectionSockets(ProcNetTcp.TCP4, address.getPort(), clientPort),
                "AF_INET sockets");
            assertEquals(0, ProcNetTcp.connectionSockets(ProcNetTcp.TCP6, address.getPort(), clientPort),
                "AF_INET6 sockets");
        }
    }
}
