package dev.ringside.engine.endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ringside.engine.counter.EngineCounter;
import dev.ringside.engine.protocol.CloseReason;
import dev.ringside.engine.protocol.echo.EchoProtocol;
import dev.ringside.engine.testing.LoopHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A connect to a free loopback port that gets that same port as its source connects the socket to itself (Linux's TCP
 * simultaneous open). A generator reconnecting thousands of times to a server that died can hit this by chance; it is
 * a likely, unproven explanation of three stray resets {@code AccountingTest.shouldBalanceWhenTheServerDiesMidRun}
 * once counted among 24,044 refused attempts. Binding the source port to the target port makes it happen every time.
 * The bug this catches: treating the self-connected socket as established, so an echo client reads back its own
 * requests as replies.
 */
@Timeout(60)
class SelfConnectTest {

    @Test
    void shouldTreatASocketConnectedToItselfAsARefusedConnect() throws Exception {
        final int port;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort(); // free again once closed, and nobody listens on it
        }
        final InetSocketAddress both = new InetSocketAddress("127.0.0.1", port);
        final AtomicInteger established = new AtomicInteger();
        final ConnectionListener listener = new ConnectionListener() {
            @Override
            public void onConnected(final TcpConnection connection) {
                established.incrementAndGet();
            }
        };
        try (LoopHarness harness = new LoopHarness(LoopHarness.smallConfig())) {
            TcpConnection.connect(harness.loop(), both, both, new EchoProtocol(), listener, 1);
            harness.runUntil(() -> harness.counters().closedBy(CloseReason.CONNECT_REFUSED) == 1);
            assertEquals(0, established.get(), "never reported as established");
            assertEquals(0, harness.counters().get(EngineCounter.CONNECTIONS_OPEN));
        }
    }
}
