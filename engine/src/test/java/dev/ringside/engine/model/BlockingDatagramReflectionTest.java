package dev.ringside.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.TimeUnit;

import dev.ringside.engine.counter.CounterTotals;
import dev.ringside.engine.counter.EngineCounter;
import dev.ringside.engine.protocol.echo.EchoProtocol;
import dev.ringside.engine.testing.LoopHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The blocking models' UDP path refuses datagrams from the server's own endpoints, as the selector does.
 *
 * <p>Here the source really is the server's own endpoint: the server binds with {@code SO_REUSEPORT} (as
 * process-model workers do), so the test can bind a socket to exactly the first endpoint's address and send
 * from it to the second. Without the guard the second endpoint answers the first endpoint's address; the
 * kernel hands that answer to the first endpoint or to the test's socket — the first echoes it back, and the
 * two endpoints ping-pong forever (the counters below grow without end), or the test's socket gets a reply.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BlockingDatagramReflectionTest {
    @Test
    void shouldNotPingPongBetweenTwoEndpointsOfOneServer() throws Exception {
        final CounterStore store = CounterStore.privateMemory(1);
        final BlockingServer server = new BlockingServer(
            // A worker binds with SO_REUSEPORT; its counters are the store below, so the file is never opened.
            new ServerSettings().model(ServerModel.THREAD).loopConfig(ModelServer.config())
                .worker(0, new java.io.File("counters-unused"))
                .udp(new InetSocketAddress("127.0.0.1", 0)).udp(new InetSocketAddress("127.0.0.1", 0)),
            new EchoProtocol(), store, store.allocate("thread"), new ErrorPrinter(System.err, "thread"));
        try (server) {
            server.start();
            final InetSocketAddress first = server.udpAddresses().get(0);
            final InetSocketAddress second = server.udpAddresses().get(1);
            try (DatagramChannel own = DatagramChannel.open();
                 DatagramChannel client = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
                own.setOption(StandardSocketOptions.SO_REUSEPORT, Boolean.TRUE);
                own.bind(first);
                own.configureBlocking(false);
                own.send(ByteBuffer.wrap("from your own port".getBytes()), second);
                // One socket's datagrams are handled in order: the marker's echo means the forged one is done.
                roundTrip(client, second);
                assertEquals(1, count(server, EngineCounter.DATAGRAMS_REFUSED));
                assertEquals(1, count(server, EngineCounter.DATAGRAMS_IN));
                // A second marker through both endpoints: still nothing but the markers went round.
                roundTrip(client, first);
                roundTrip(client, second);
                assertEquals(1, count(server, EngineCounter.DATAGRAMS_REFUSED));
                assertEquals(3, count(server, EngineCounter.DATAGRAMS_IN));
                assertEquals(3, count(server, EngineCounter.DATAGRAMS_OUT));
                assertNull(own.receive(ByteBuffer.allocate(64)), "the server answered its own endpoint");
            }
        }
    }

    private static void roundTrip(final DatagramChannel client, final InetSocketAddress target) throws Exception {
        client.configureBlocking(false);
        client.send(ByteBuffer.wrap("marker".getBytes()), target);
        final ByteBuffer reply = ByteBuffer.allocate(64);
        LoopHarness.await(() -> {
            try {
                return client.receive(reply) != null;
            } catch (final java.io.IOException ex) {
                throw new AssertionError(ex);
            }
        });
    }

    private static long count(final BlockingServer server, final EngineCounter counter) {
        final CounterTotals totals = server.totals();
        return totals.value(counter);
    }
}
