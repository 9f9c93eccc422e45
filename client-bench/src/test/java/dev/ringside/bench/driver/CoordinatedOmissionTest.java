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

import dev.ringside.bench.record.LatencyRecorder;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The schedule and correction maths with a manual clock, over a real loopback socket whose server side the
 * test drives by hand: at 1000 msg/s on one connection, a 100 ms server stall must give about 100 corrected
 * samples spread from 100 ms down to 1 ms, and a single large uncorrected one.
 */
class CoordinatedOmissionTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final int SIZE = 16;

    private final List<Throwable> errors = new ArrayList<>();

    @Test
    @Timeout(60)
    void shouldChargeAStallToEveryMessageThatWasDueDuringIt() throws IOException {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress("127.0.0.1", 0));
            final CachedNanoClock clock = new CachedNanoClock();
            final long base = 1_000 * MS;
            clock.update(base);
            final BenchSettings settings = ManualDrive.oneConnectionAt1000(
                (InetSocketAddress) listener.getLocalAddress(), SIZE, 1000 * MS).validate();
            final RunControl control = new RunControl();
            final LoadDriver driver = new LoadDriver(settings, 0, clock, control, errors::add);
            try (driver) {
                driver.doWork(); // starts the connect
                try (SocketChannel server = listener.accept()) {
                    server.configureBlocking(false);
                    ManualDrive.runUntil(driver, () -> driver.isOpen(0));
                    control.startLoad(base + MS); // message k is intended at base + (k + 1) ms
                    final ByteBuffer pending = ByteBuffer.allocate(64 * 1024);
                    for (int t = 1; t <= 1000; t++) {
                        clock.update(base + t * MS);
                        final boolean stalled = t >= 300 && t < 400; // message 299 waits for 100 ms
                        driver.doWork();
                        if (stalled) {
                            continue;
                        }
                        ManualDrive.echoUntilCaughtUp(driver, server, pending, t, SIZE);
                    }
                }
            }
            final Histogram corrected = LatencyRecorder.newHistogram();
            final Histogram uncorrected = LatencyRecorder.newHistogram();
            driver.measuredRecorder().takeInterval(corrected, uncorrected);
            assertEquals(1000, corrected.getTotalCount(), "every message of the window answered and recorded");
            assertEquals(1000, uncorrected.getTotalCount());
            assertEquals(0, driver.counters().errorTotal());
            // Corrected: the stalled message waited 100 ms, and the 99 messages due behind it 99 ms .. 1 ms
            // (the last one due at the end of the stall is sent on time).
            // Every latency here is a whole number of manual-clock milliseconds; count with half-ms edges so that
            // HdrHistogram's bucket widths (about 0.1% of the value) cannot blur them.
            final long correctedOver1ms = corrected.getTotalCount() - corrected.getCountBetweenValues(0, MS / 2);
            assertEquals(100, correctedOver1ms, "~100 corrected samples at or above 1 ms");
            assertEquals(100 * MS, corrected.getMaxValue(), 100 * MS / 1000.0, "largest is the 100 ms stall");
            assertEquals(1, corrected.getCountBetweenValues(100 * MS - MS / 2, 100 * MS + MS / 2));
            assertEquals(50, corrected.getCountBetweenValues(50 * MS + MS / 2, 101 * MS), 1, "spread evenly");
            assertEquals(1, corrected.getCountBetweenValues(MS - MS / 2, MS + MS / 2), "down to ~1 ms");
            // Uncorrected: only the stalled message itself looks slow; the backlog went out late and came back
            // at once, which is exactly what hides a stall from a closed-loop measurement.
            final long uncorrectedOver1ms = uncorrected.getTotalCount()
                - uncorrected.getCountBetweenValues(0, MS / 2);
            assertEquals(1, uncorrectedOver1ms, "one uncorrected sample above 1 ms");
            assertEquals(100 * MS, uncorrected.getMaxValue(), 100 * MS / 1000.0);
            assertTrue(errors.isEmpty(), errors.toString());
        }
    }
}
