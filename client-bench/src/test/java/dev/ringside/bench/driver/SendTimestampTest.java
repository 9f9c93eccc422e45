package dev.ringside.bench.driver;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.ringside.bench.record.LoadCounter;
import org.agrona.concurrent.NanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Closed loop stamps each request just before the write that carries it. The test's clock is also its
 * server: every time the generator reads the clock, the clock first collects the requests that have reached
 * the server's sockets since the previous read (and echoes them). On loopback a write is in the peer's
 * receive queue when the system call returns, so if each request is written right after its send time is
 * read, at most one request (pipeline 1) arrives between two reads of the clock. Requests queued while
 * replies are handled and written together at the end of the loop's cycle (the fault this guards against:
 * tried by deferring the engine's write after a session callback to the end of the cycle) arrive fifty at a
 * time between two reads, each stamped up to a cycle early, and fail this test.
 */
class SendTimestampTest {
    private static final int CONNECTIONS = 50;
    private static final int SIZE = 32;
    private static final int ARRIVALS = 3_000;
    private static final int CAP = 5_000_000;

    /** A clock that ticks one microsecond per read and serves the generator's connections on each read. */
    private static final class ServingClock implements NanoClock {
        private final ServerSocketChannel listener;
        private final List<SocketChannel> accepted = new ArrayList<>();
        private final List<ByteBuffer> pending = new ArrayList<>();
        private final ByteBuffer echo = ByteBuffer.allocate(64 * 1024);
        private long reads;
        private long arrivals;
        private long sharedArrivals;
        private int most;

        ServingClock(final ServerSocketChannel listener) {
            this.listener = listener;
        }

        @Override
        public long nanoTime() {
            final int arrived = serve();
            arrivals += arrived;
            if (arrived > 1) {
                sharedArrivals += arrived;
            }
            most = Math.max(most, arrived);
            return ++reads * 1_000;
        }

        private int serve() {
            try {
                SocketChannel channel;
                while ((channel = listener.accept()) != null) {
                    channel.configureBlocking(false);
                    accepted.add(channel);
                    pending.add(ByteBuffer.allocate(SIZE));
                }
                int complete = 0;
                for (int i = 0; i < accepted.size(); i++) {
                    final ByteBuffer message = pending.get(i);
                    while (accepted.get(i).read(message) > 0 && !message.hasRemaining()) {
                        complete++;
                        message.flip();
                        echo.clear();
                        echo.put(message).flip();
                        while (echo.hasRemaining()) {
                            accepted.get(i).write(echo);
                        }
                        message.clear();
                    }
                }
                return complete;
            } catch (final IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }

        void close() throws IOException {
            for (final SocketChannel channel : accepted) {
                channel.close();
            }
        }
    }

    @Test
    @Timeout(60)
    void shouldWriteEachClosedLoopRequestRightAfterReadingItsSendTime() throws IOException {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress("127.0.0.1", 0));
            listener.configureBlocking(false);
            final ServingClock clock = new ServingClock(listener);
            final BenchSettings settings = closedLoop(listener, CONNECTIONS, 1);
            final RunControl control = new RunControl();
            final List<Throwable> errors = new ArrayList<>();
            try (LoadDriver driver = new LoadDriver(settings, 0, clock, control, errors::add)) {
                int cycles = 0;
                while (!allOpen(driver) && cycles++ < CAP) {
                    driver.doWork();
                }
                assertTrue(allOpen(driver), "every connection established");
                control.startLoad(clock.nanoTime() + 1_000);
                final long before = clock.arrivals;
                while (clock.arrivals - before < ARRIVALS && cycles++ < CAP) {
                    driver.doWork();
                }
                assertTrue(clock.arrivals - before >= ARRIVALS, "the load ran: " + clock.arrivals);
                // Allow a few merged arrivals (a loopback packet deferred to ksoftirqd under load); the old
                // code merged every one of them.
                assertTrue(clock.sharedArrivals < clock.arrivals / 10, clock.sharedArrivals + " of "
                    + clock.arrivals + " requests reached the server together with another (at most " + clock.most
                    + " between two reads of the clock)");
                assertTrue(errors.isEmpty(), errors.toString());
            } finally {
                clock.close();
            }
        }
    }

    /**
     * The clock is read once per read, not once per message: a read that brings back a whole pipeline of replies
     * stamps them all, and the requests sent in answer, with one reading. The serving clock echoes everything
     * pending at each reading, so each of the 16-request batches comes back in one read. Reads beyond the duty
     * cycles' own (measured idle, before the load) must be well under one per reply. Catches: a clock read per
     * request in {@code refill} (tried: the old per-message read; 4,000 reads beyond the cycles for 3,200 replies).
     */
    @Test
    @Timeout(60)
    void shouldReadTheClockOncePerReadNotOncePerMessage() throws IOException {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress("127.0.0.1", 0));
            listener.configureBlocking(false);
            final ServingClock clock = new ServingClock(listener);
            final BenchSettings settings = closedLoop(listener, 1, 16);
            final RunControl control = new RunControl();
            final List<Throwable> errors = new ArrayList<>();
            try (LoadDriver driver = new LoadDriver(settings, 0, clock, control, errors::add)) {
                int cycles = 0;
                while (!driver.isOpen(0) && cycles++ < CAP) {
                    driver.doWork();
                }
                assertTrue(driver.isOpen(0), "connected");
                final long idleReadsBefore = clock.reads;
                for (int i = 0; i < 1_000; i++) {
                    driver.doWork();
                }
                final double readsPerCycle = (clock.reads - idleReadsBefore) / 1_000.0;
                control.startLoad(clock.nanoTime() + 1_000);
                while (driver.counters().get(LoadCounter.COMPLETED) < 160 && cycles++ < CAP) {
                    driver.doWork();
                }
                final long repliesBefore = driver.counters().get(LoadCounter.COMPLETED);
                final long readsBefore = clock.reads;
                int loadCycles = 0;
                while (driver.counters().get(LoadCounter.COMPLETED) - repliesBefore < 3_200 && loadCycles < CAP) {
                    driver.doWork();
                    loadCycles++;
                }
                final long replies = driver.counters().get(LoadCounter.COMPLETED) - repliesBefore;
                assertTrue(replies >= 3_200, "the load ran: " + replies);
                final double extraReads = clock.reads - readsBefore - readsPerCycle * loadCycles;
                assertTrue(extraReads < replies / 4.0, extraReads + " clock reads beyond the duty cycles' "
                    + readsPerCycle + " each, for " + replies + " replies");
                assertTrue(errors.isEmpty(), errors.toString());
            } finally {
                clock.close();
            }
        }
    }

    /** An hour-long closed loop against the listener, no warm-up: the test decides when it ends. */
    private static BenchSettings closedLoop(final ServerSocketChannel listener, final int connections,
        final int pipeline) throws IOException {
        return new BenchSettings().target((InetSocketAddress) listener.getLocalAddress()).connections(connections)
            .closedLoop(true).pipeline(pipeline).size(SIZE).warmupNs(0).durationNs(TimeUnit.HOURS.toNanos(1))
            .timeoutNs(TimeUnit.HOURS.toNanos(1)).validate();
    }

    private static boolean allOpen(final LoadDriver driver) {
        for (int i = 0; i < CONNECTIONS; i++) {
            if (!driver.isOpen(i)) {
                return false;
            }
        }
        return true;
    }
}
