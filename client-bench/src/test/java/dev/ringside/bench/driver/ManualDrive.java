package dev.ringside.bench.driver;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import dev.ringside.bench.record.LoadCounter;

/**
 * Drives a {@link LoadDriver} on the test thread against a server side the test holds in its hand (the
 * manual-clock tests): run duty cycles until a condition holds, or until whole messages arrive at the server.
 * Every wait has an iteration cap instead of a sleep.
 */
final class ManualDrive {
    private static final int CAP = 1_000_000;

    private ManualDrive() {
    }

    /** Reads from {@code server} into {@code into}, running the driver, until it holds whole messages. */
    static void awaitBytes(final LoadDriver driver, final SocketChannel server, final ByteBuffer into,
        final int messageBytes) throws IOException {
        for (int i = 0; i < CAP; i++) {
            if (server.read(into) > 0 && into.position() % messageBytes == 0) {
                return;
            }
            if (into.position() > 0 && into.position() % messageBytes == 0) {
                return;
            }
            driver.doWork();
        }
        throw new AssertionError("no request arrived");
    }

    /**
     * Echoes, by hand, everything connection 0 sends until the generator has sent its first {@code sent}
     * messages and has nothing in flight: the server side of the manual-clock tests at one instant.
     */
    static void echoUntilCaughtUp(final LoadDriver driver, final SocketChannel server, final ByteBuffer pending,
        final long sent, final int messageBytes) throws IOException {
        while (driver.sentBy(0) < sent || driver.counters().get(LoadCounter.IN_FLIGHT) > 0) {
            final long before = driver.counters().get(LoadCounter.COMPLETED);
            awaitBytes(driver, server, pending, messageBytes);
            pending.flip();
            while (pending.hasRemaining()) {
                server.write(pending);
            }
            pending.clear();
            runUntil(driver, () -> driver.counters().get(LoadCounter.COMPLETED) > before);
        }
    }

    /**
     * The settings of the manual-clock tests: one connection at 1000 msg/s of {@code messageBytes}, no warm-up,
     * a 10 s reply timeout (never reached: the clock is the test's).
     */
    static BenchSettings oneConnectionAt1000(final InetSocketAddress target, final int messageBytes,
        final long durationNs) {
        return new BenchSettings().target(target).connections(1).rate(1000).size(messageBytes).warmupNs(0)
            .durationNs(durationNs).timeoutNs(TimeUnit.SECONDS.toNanos(10));
    }

    /** Runs duty cycles until the condition holds. */
    static void runUntil(final LoadDriver driver, final BooleanSupplier condition) {
        for (int i = 0; i < CAP; i++) {
            if (condition.getAsBoolean()) {
                return;
            }
            driver.doWork();
        }
        throw new AssertionError("condition not reached in " + CAP + " cycles");
    }
}
