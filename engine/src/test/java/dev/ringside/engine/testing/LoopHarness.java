package dev.ringside.engine.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import dev.ringside.engine.config.LoopConfig;
import dev.ringside.engine.counter.LoopCounters;
import dev.ringside.engine.endpoint.ConnectionListener;
import dev.ringside.engine.endpoint.TcpAcceptor;
import dev.ringside.engine.endpoint.UdpEndpoint;
import dev.ringside.engine.loop.EventLoop;
import dev.ringside.engine.protocol.Protocol;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

/**
 * Drives a real event loop for tests, on loopback with port 0: either on the test thread
 * ({@link #runUntil}, interleaved with a blocking client) or on a background thread ({@link #startThread}).
 * Never sleeps: waiting is polling a condition with an iteration and time cap.
 */
public final class LoopHarness implements AutoCloseable {
    /** Cap on duty cycles in one {@link #runUntil} call. */
    public static final int MAX_ITERATIONS = 5_000_000;
    /** Cap on wall time in one {@link #runUntil} call. */
    public static final long MAX_WAIT_NS = 20_000_000_000L;

    private final EventLoop loop;
    private final LoopCounters counters;
    private final List<Throwable> errors = new ArrayList<>();
    private Thread thread;

    /**
     * A harness with the system clock.
     *
     * @param config loop settings
     */
    public LoopHarness(final LoopConfig config) {
        this(config, SystemNanoClock.INSTANCE);
    }

    /**
     * A harness with a chosen clock (a {@link CachedNanoClock} lets a test move time by hand).
     *
     * @param config loop settings
     * @param clock  time source
     */
    public LoopHarness(final LoopConfig config, final NanoClock clock) {
        this.counters = LoopCounters.standalone("test");
        this.loop = new EventLoop("test", config, clock, counters, errors::add);
    }

    /** @return the loop */
    public EventLoop loop() {
        return loop;
    }

    /** @return its counters */
    public LoopCounters counters() {
        return counters;
    }

    /** @return unexpected exceptions the loop reported */
    public List<Throwable> errors() {
        return errors;
    }

    /**
     * Listens on 127.0.0.1:0.
     *
     * @param protocol what to serve
     * @return the bound address
     */
    public InetSocketAddress listenTcp(final Protocol protocol) {
        return listenTcp(protocol, ConnectionListener.NONE);
    }

    /**
     * Listens on 127.0.0.1:0.
     *
     * @param protocol what to serve
     * @param listener hears connections
     * @return the bound address
     */
    public InetSocketAddress listenTcp(final Protocol protocol, final ConnectionListener listener) {
        try {
            return TcpAcceptor.open(loop, new InetSocketAddress("127.0.0.1", 0), protocol, listener).localAddress();
        } catch (final IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Binds a UDP endpoint on 127.0.0.1:0.
     *
     * @param protocol what to serve
     * @return the bound address
     */
    public InetSocketAddress listenUdp(final Protocol protocol) {
        try {
            return UdpEndpoint.bind(loop, new InetSocketAddress("127.0.0.1", 0),
                protocol.newDatagramHandler("127.0.0.1:0")).localAddress();
        } catch (final IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Runs duty cycles on this thread until the condition holds.
     *
     * @param condition what to wait for
     * @throws AssertionError when the iteration or time cap is reached first
     */
    public void runUntil(final BooleanSupplier condition) {
        final long startNs = System.nanoTime();
        for (int i = 0; i < MAX_ITERATIONS; i++) {
            if (condition.getAsBoolean()) {
                return;
            }
            loop.doWork();
            if (System.nanoTime() - startNs > MAX_WAIT_NS) {
                break;
            }
        }
        throw new AssertionError("condition not reached within the harness caps; errors=" + errors);
    }

    /** Runs one duty cycle. */
    public void cycle() {
        loop.doWork();
    }

    /** Runs the loop on a background thread (spinning idle mode is not required: BLOCK works). */
    public void startThread() {
        thread = new Thread(loop::run, "test-loop");
        thread.setDaemon(true);
        thread.start();
    }

    /** @return the background loop thread, or {@code null} when the loop runs on the test thread */
    public Thread loopThread() {
        return thread;
    }

    /**
     * Waits, from another thread, until a condition holds (the loop runs on its own thread).
     *
     * @param condition what to wait for; read racily, so use counters or volatile state
     */
    public static void await(final BooleanSupplier condition) {
        final long startNs = System.nanoTime();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - startNs > MAX_WAIT_NS) {
                throw new AssertionError("condition not reached within " + MAX_WAIT_NS / 1_000_000 + " ms");
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    /** Stops the background thread, if any, and closes the loop; asserts nothing. */
    @Override
    public void close() {
        if (thread != null) {
            loop.stop();
            try {
                thread.join(5_000);
            } catch (final InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        loop.close();
    }

    /** @return rings currently leased from the pool (0 after a clean test) */
    public int leasedRings() {
        return loop.pool().leasedCount();
    }

    /**
     * A loop config suitable for tests.
     *
     * @return a small config
     */
    public static LoopConfig smallConfig() {
        return new LoopConfig().ringCapacityBytes(16 * 1024).poolRings(8192);
    }
}
