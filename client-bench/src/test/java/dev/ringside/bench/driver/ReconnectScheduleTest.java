package dev.ringside.bench.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.ringside.bench.record.ErrorKind;
import dev.ringside.bench.record.LatencyRecorder;
import dev.ringside.bench.record.LoadCounter;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The open-loop schedule across a reconnect, with a manual clock over real loopback sockets whose server side
 * the test drives by hand: at 1000 msg/s on one connection the server goes away at 100 ms (closes the
 * connection and its listener: reconnects are refused) and comes back at 150 ms. The intended send times do
 * not move, so the messages due while the client was away carry the gap in their corrected latency (49 ms down
 * to ~0), none is skipped, and the refused attempts are counted and paced by the connect rate.
 */
class ReconnectScheduleTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final int SIZE = 16;

    private final List<Throwable> errors = new ArrayList<>();

    @Test
    @Timeout(60)
    void shouldKeepIntendedSendTimesAcrossAReconnectAndChargeTheGapToLatency() throws IOException {
        // Catches: a schedule restarted on the new connection (the backlog's corrected latency would be ~0), a
        // codec that is not told a new stream began (echo replies on the new connection fail verification),
        // skipped messages (fewer than 300 sent), or retries that ignore the connect rate (far more refusals).
        ServerSocketChannel listener = ServerSocketChannel.open();
        listener.bind(new InetSocketAddress("127.0.0.1", 0));
        final InetSocketAddress address = (InetSocketAddress) listener.getLocalAddress();
        final CachedNanoClock clock = new CachedNanoClock();
        final long base = 1_000 * MS;
        clock.update(base);
        final BenchSettings settings = ManualDrive.oneConnectionAt1000(address, SIZE, 300 * MS).connectRate(1000)
            .validate();
        final RunControl control = new RunControl();
        final LoadDriver driver = new LoadDriver(settings, 0, clock, control, errors::add);
        SocketChannel server = null;
        try (driver) {
            driver.doWork(); // starts the connect
            server = listener.accept();
            server.configureBlocking(false);
            ManualDrive.runUntil(driver, () -> driver.isOpen(0));
            control.startLoad(base + MS); // message k is intended at base + (k + 1) ms
            final ByteBuffer pending = ByteBuffer.allocate(64 * 1024);
            for (int t = 1; t <= 300; t++) {
                clock.update(base + t * MS);
                if (t == 100) {
                    // The server goes away: its connection ends in order and its port refuses reconnects.
                    server.close();
                    listener.close();
                    ManualDrive.runUntil(driver, () -> !driver.isOpen(0));
                }
                if (t >= 100 && t < 150) {
                    driver.doWork(); // refused attempts, one per millisecond at 1000/s
                    continue;
                }
                if (t == 150) {
                    listener = ServerSocketChannel.open();
                    listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                    listener.bind(address);
                    ManualDrive.runUntil(driver, () -> driver.isOpen(0));
                    server = listener.accept();
                    server.configureBlocking(false);
                }
                driver.doWork();
                ManualDrive.echoUntilCaughtUp(driver, server, pending, t, SIZE);
            }
        } finally {
            if (server != null) {
                server.close();
            }
            listener.close();
        }
        final Histogram corrected = LatencyRecorder.newHistogram();
        final Histogram uncorrected = LatencyRecorder.newHistogram();
        driver.measuredRecorder().takeInterval(corrected, uncorrected);
        assertEquals(300, driver.sentBy(0), "every message of the window sent, none skipped");
        final long cutOff = driver.counters().errors(ErrorKind.CLOSED_IN_FLIGHT);
        assertTrue(cutOff <= 1, "at most the message due at 100 ms went out before the close was seen");
        assertEquals(300 - cutOff, corrected.getTotalCount(), "the rest answered and recorded");
        assertEquals(300 - cutOff, driver.counters().get(LoadCounter.COMPLETED));
        // The first message due while the client was away (intended 101 ms, or 100 ms) left at 150 ms.
        assertTrue(corrected.getMaxValue() >= 49 * MS - MS / 10 && corrected.getMaxValue() <= 50 * MS + MS / 10,
            "the reconnect gap is in the corrected latency: max " + corrected.getMaxValue() / 1e6 + " ms");
        assertEquals(25, corrected.getCountBetweenValues(24 * MS + MS / 2, 51 * MS), 1,
            "the backlog's latency spreads from the gap down to ~0");
        assertTrue(uncorrected.getMaxValue() < MS / 2, "each was answered at once after it left: "
            + uncorrected.getMaxValue());
        final long refused = driver.counters().errors(ErrorKind.CONNECT_REFUSED);
        // At 1000/s: a credit of 10 ms worth when the outage starts, then one attempt per ms of the 50 ms.
        assertTrue(refused >= 45 && refused <= 60, "refused attempts at the connect rate: " + refused);
        assertEquals(refused + 1, driver.counters().get(LoadCounter.RECONNECTS), "each refused attempt, then one"
            + " that succeeded");
        assertEquals(0, driver.counters().errors(ErrorKind.VERIFICATION), "replies on the new stream verify");
        assertEquals(0, driver.counters().errors(ErrorKind.CLOSED_BY_PEER), "an orderly close is no error");
        assertTrue(errors.isEmpty(), errors.toString());
    }
}
