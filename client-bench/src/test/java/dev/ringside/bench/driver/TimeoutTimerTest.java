package dev.ringside.bench.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.ringside.bench.record.ErrorKind;
import dev.ringside.bench.record.LoadCounter;
import dev.ringside.engine.loop.EventLoop;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Response timeouts are timers keyed by deadline, not a scan of every client: with a manual clock, twenty clients
 * each send one message, the test's server answers nineteen, and the one left unanswered times out within a timer
 * tick after its timeout, the others never. Catches: a timeout structure that skips clients (tried: arming the
 * timer only for client 0; the unanswered message never times out) and one armed late (tried: at twice the
 * timeout; it ends 400 ms after its send, not within a tick of 200).
 */
class TimeoutTimerTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final int CLIENTS = 20;
    private static final int SIZE = 16;
    private static final long TIMEOUT_NS = 200 * MS;
    /** The accepted connection the server never answers. */
    private static final int SILENT = 13;

    private final List<Throwable> errors = new ArrayList<>();

    @Test
    @Timeout(60)
    void shouldTimeOutTheOneUnansweredRequestOfManyWithinATickOfItsDeadline() throws IOException {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress("127.0.0.1", 0));
            listener.configureBlocking(false);
            final CachedNanoClock clock = new CachedNanoClock();
            final long base = 1_000 * MS;
            clock.update(base);
            // One message per client in a 1 s window: client i's is intended at i × 50 ms.
            final BenchSettings settings = new BenchSettings().target((InetSocketAddress) listener.getLocalAddress())
                .connections(CLIENTS).rate(CLIENTS).size(SIZE).warmupNs(0).durationNs(1_000 * MS)
                .timeoutNs(TIMEOUT_NS).validate();
            final RunControl control = new RunControl();
            final List<SocketChannel> accepted = new ArrayList<>();
            final LoadDriver driver = new LoadDriver(settings, 0, clock, control, errors::add);
            try (driver) {
                long t = 0;
                for (int i = 0; i < 100_000 && accepted.size() < CLIENTS; i++) {
                    clock.update(base + ++t * MS / 10);
                    driver.doWork();
                    final SocketChannel server = listener.accept();
                    if (server != null) {
                        server.configureBlocking(false);
                        accepted.add(server);
                    }
                }
                ManualDrive.runUntil(driver, () -> driver.counters().get(LoadCounter.CONNECTIONS_OPEN) == CLIENTS);
                final long startNs = base + 10 * MS + t * MS / 10;
                control.startLoad(startNs);
                final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
                long silentSentNs = 0;
                long timedOutNs = 0;
                for (long nowNs = startNs; nowNs - (startNs + 1_500 * MS) < 0; nowNs += MS) {
                    clock.update(nowNs);
                    driver.doWork();
                    for (int j = 0; j < accepted.size(); j++) {
                        buffer.clear();
                        if (accepted.get(j).read(buffer) <= 0) {
                            continue;
                        }
                        if (j == SILENT) {
                            silentSentNs = silentSentNs == 0 ? nowNs : silentSentNs;
                            continue;
                        }
                        buffer.flip();
                        while (buffer.hasRemaining()) {
                            accepted.get(j).write(buffer);
                        }
                    }
                    if (timedOutNs == 0 && driver.counters().errors(ErrorKind.RESPONSE_TIMEOUT) > 0) {
                        timedOutNs = nowNs;
                    }
                }
                for (final SocketChannel server : accepted) {
                    server.close();
                }
                assertTrue(silentSentNs != 0, "the silent connection's message arrived");
                assertTrue(timedOutNs != 0, "the unanswered message timed out");
                // The message was sent at most 1 ms (one step) before the server side read it.
                final long afterSendNs = timedOutNs - silentSentNs;
                final long latestNs = TIMEOUT_NS + EventLoop.TIMER_TICK_NS + 2 * MS;
                assertTrue(afterSendNs >= TIMEOUT_NS - MS && afterSendNs <= latestNs,
                    "timed out " + afterSendNs / MS + " ms after its send, timeout " + TIMEOUT_NS / MS + " ms");
                assertEquals(1, driver.counters().errors(ErrorKind.RESPONSE_TIMEOUT), "only the one");
                assertEquals(CLIENTS - 1, driver.counters().get(LoadCounter.COMPLETED), "the others answered");
                assertTrue(errors.isEmpty(), errors.toString());
            }
        }
    }
}
