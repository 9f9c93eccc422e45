package dev.ringside.bench.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import dev.ringside.bench.record.BenchResult;
import dev.ringside.engine.endpoint.ConnectionListener;
import dev.ringside.engine.endpoint.TcpAcceptor;
import dev.ringside.engine.endpoint.TcpConnection;
import dev.ringside.engine.protocol.echo.EchoProtocol;
import dev.ringside.engine.testing.LoopHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * First connections from the run's own source addresses take ports the generator picks: the ephemeral range
 * dealt out between threads, each port once, one taken by another socket skipped.
 *
 * <p>Tried against deliberate bugs, each failing {@link #shouldOpenFirstConnectionsFromPickedPortsSkippingATakenOne}:
 * threads sharing the range without the stride (two sockets bound to one port: connect fails, errors); the
 * {@code BindException} not caught (the taken port becomes a connect error); ports left to the kernel (the
 * server sees ports outside the expected set).
 */
class SourcePortsTest {
    /** An address other tests and tools on this machine do not bind, so that its low ports are free. */
    private static final String SOURCE = "127.41.7.3";

    @Test
    void shouldDealTheRangeOutBetweenThreadsAndAddressesAndFallBackToTheKernelWhenUsedUp() throws Exception {
        final InetAddress a = InetAddress.getByName("127.0.0.2");
        final InetAddress b = InetAddress.getByName("127.0.0.3");
        final SourcePorts first = new SourcePorts(List.of(a, b), 40_000, 40_005, 0, 2);
        final SourcePorts second = new SourcePorts(List.of(a, b), 40_000, 40_005, 1, 2);
        assertEquals(new InetSocketAddress(a, 40_000), first.next(0));
        assertEquals(new InetSocketAddress(b, 40_000), first.next(1), "each address has the whole range");
        assertEquals(new InetSocketAddress(a, 40_002), first.next(2));
        assertEquals(new InetSocketAddress(a, 40_001), second.next(0), "the other thread takes the odd ports");
        assertEquals(new InetSocketAddress(a, 40_004), first.next(4));
        assertEquals(new InetSocketAddress(a, 0), first.next(6), "used up: the kernel's choice");
        assertEquals(new InetSocketAddress(b, 0), first.anyPort(3));
        assertThrows(IllegalArgumentException.class, () -> new SourcePorts(List.of(a), 40_000, 40_005, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> new SourcePorts(List.of(), 40_000, 40_005, 0, 1));
    }

    @Test
    @Timeout(60)
    void shouldOpenFirstConnectionsFromPickedPortsSkippingATakenOne() throws Exception {
        final int[] range = Preflight.ephemeralRange();
        final InetAddress source = InetAddress.getByName(SOURCE);
        final Set<Integer> ports = ConcurrentHashMap.newKeySet();
        try (LoopHarness server = new LoopHarness(LoopHarness.smallConfig());
            SocketChannel holder = SocketChannel.open()) {
            // Another process's socket on one of the ports the run would pick (no SO_REUSEADDR: a real conflict).
            holder.setOption(StandardSocketOptions.SO_REUSEADDR, Boolean.FALSE);
            holder.bind(new InetSocketAddress(source, range[0] + 2));
            final InetSocketAddress address = TcpAcceptor.open(server.loop(), new InetSocketAddress("127.0.0.1", 0),
                new EchoProtocol(), new ConnectionListener() {
                    @Override
                    public void onConnected(final TcpConnection connection) {
                        final String remote = connection.context().remoteAddress();
                        ports.add(Integer.parseInt(remote.substring(remote.lastIndexOf(':') + 1)));
                    }
                }).localAddress();
            server.startThread();
            final BenchResult result = TestServers.run(TestServers.quick(address).connections(20).threads(2)
                .bindAddresses(List.of(source)));
            assertEquals(20, result.connectionsEstablished());
            assertEquals(0, result.errorTotal());
        }
        final Set<Integer> expected = new HashSet<>();
        for (int port = range[0]; expected.size() < 20; port++) {
            if (port != range[0] + 2) {
                expected.add(port);
            }
        }
        assertEquals(new TreeSet<>(expected), new TreeSet<>(ports),
            "each thread's ports in turn, the taken one skipped");
    }
}
