package dev.ringside.engine.server;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ringside.engine.config.Units;
import dev.ringside.engine.counter.CounterTotals;
import dev.ringside.engine.counter.CountersFile;
import dev.ringside.engine.counter.LoopCounters;
import dev.ringside.engine.endpoint.ChannelAcceptor;
import dev.ringside.engine.endpoint.ConnectionListener;
import dev.ringside.engine.endpoint.ReflectionGuard;
import dev.ringside.engine.endpoint.TcpAcceptor;
import dev.ringside.engine.endpoint.UdpEndpoint;
import dev.ringside.engine.loop.EventLoop;
import dev.ringside.engine.model.RunningServer;
import dev.ringside.engine.model.ServerSettings;
import dev.ringside.engine.protocol.Protocol;
import dev.ringside.engine.protocol.ProtocolTimer;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

/**
 * A running selector server: one or more event loops, each on its own thread, with the listeners of
 * {@link ServerSettings}, and its counters (in a memory-mapped file when published).
 */
public final class Server implements RunningServer {
    /** Errors printed in full before the rest are only counted, so a storm cannot flood the terminal. */
    private static final int MAX_PRINTED_ERRORS = 20;

    private final ServerSettings settings;
    private final Protocol protocol;
    private final CountersFile countersFile;
    private final CountersReader countersReader;
    private final List<EventLoop> loops = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final List<InetSocketAddress> tcpBound = new ArrayList<>();
    private final List<InetSocketAddress> udpBound = new ArrayList<>();
    private final AtomicInteger printedErrors = new AtomicInteger();
    private final PrintStream errors;

    /**
     * Builds loops and binds every listener; nothing runs until {@link #start()}.
     *
     * @param settings what to serve
     * @param errors   where unexpected errors are reported
     * @throws IOException when an address cannot be bound; the message names the address
     */
    public Server(final ServerSettings settings, final PrintStream errors) throws IOException {
        this.settings = settings;
        this.errors = errors;
        this.protocol = settings.newProtocol();
        if (!settings.udpAddresses().isEmpty() && !protocol.supportsDatagrams()) {
            throw new IllegalArgumentException("protocol '" + protocol.name() + "' has no UDP form; drop --udp");
        }
        if (settings.loops() > 1 && protocol.sharesState()) {
            throw new IllegalArgumentException("protocol '" + protocol.name()
                + "' keeps all its connections on one loop (one shared room); drop --loops");
        }
        final int countersNeeded = settings.loops() * LoopCounters.countersPerLoop();
        final CountersManager manager;
        if (settings.publishCounters() || settings.isWorker()) {
            // A prefork worker publishes where its supervisor looks (and the supervisor sums it); else by pid.
            countersFile = CountersFile.create(settings.isWorker() ? settings.workerCounters()
                : CountersLocation.fileFor(ProcessHandle.current().pid()), countersNeeded);
            manager = countersFile.newManager();
            countersReader = countersFile.newReader();
        } else {
            countersFile = null;
            manager = new CountersManager(
                // Direct memory: counters are updated atomically, which needs 8-byte alignment a byte[] lacks.
                new UnsafeBuffer(ByteBuffer.allocateDirect(countersNeeded * CountersReader.METADATA_LENGTH)),
                new UnsafeBuffer(ByteBuffer.allocateDirect(countersNeeded * CountersReader.COUNTER_LENGTH)));
            countersReader = manager;
        }
        try {
            for (int i = 0; i < settings.loops(); i++) {
                final String name = "loop-" + i;
                loops.add(new EventLoop(name, settings.loopConfig(), SystemNanoClock.INSTANCE,
                    new LoopCounters(manager, name), errorHandler(name)));
            }
            bindAll();
            startProtocolTimer();
        } catch (final IOException | RuntimeException ex) {
            close();
            throw ex;
        }
    }

    private void bindAll() throws IOException {
        // Several loops, or a prefork worker: the other loops or worker processes join each port's group.
        final boolean share = loops.size() > 1 || settings.isWorker();
        for (final InetSocketAddress requested : settings.tcpAddresses()) {
            InetSocketAddress address = requested;
            for (final EventLoop loop : loops) {
                final TcpAcceptor acceptor;
                try {
                    acceptor = TcpAcceptor.open(loop, address, protocol, ConnectionListener.NONE,
                        ChannelAcceptor.DIRECT, share);
                } catch (final IOException ex) {
                    throw new IOException("cannot listen on tcp " + Units.format(requested) + ": " + ex.getMessage()
                        + " (choose another port, or stop whatever holds it)", ex);
                }
                // Port 0 picks a port once; the other loops share that port.
                address = acceptor.localAddress();
            }
            tcpBound.add(address);
        }
        // One guard for every UDP endpoint: a datagram from any of them is the server's own.
        final ReflectionGuard guard = new ReflectionGuard();
        for (final InetSocketAddress requested : settings.udpAddresses()) {
            // Datagram endpoints live on the first loop: one socket, no reordering across loops.
            final UdpEndpoint endpoint;
            try {
                endpoint = UdpEndpoint.bind(loops.get(0), requested,
                    protocol.newDatagramHandler(Units.format(requested)), guard, settings.isWorker());
            } catch (final IOException ex) {
                throw new IOException("cannot bind udp " + Units.format(requested) + ": " + ex.getMessage()
                    + " (choose another port, or stop whatever holds it)", ex);
            }
            udpBound.add(endpoint.localAddress());
        }
    }

    private void startProtocolTimer() {
        final ProtocolTimer timer = protocol.timer();
        if (timer != null) {
            // Before the loop thread starts, so no other thread touches the wheel yet.
            ProtocolTimerTask.start(loops.get(0), timer, SystemEpochClock.INSTANCE);
        }
    }

    private ErrorHandler errorHandler(final String loopName) {
        return throwable -> {
            final int count = printedErrors.incrementAndGet();
            if (count <= MAX_PRINTED_ERRORS) {
                errors.println("ringside: " + loopName + ": " + throwable);
            } else if (count == MAX_PRINTED_ERRORS + 1) {
                errors.println("ringside: further errors are counted, not printed (see 'ringside stat')");
            }
        };
    }

    /** Starts one thread per loop. */
    @Override
    public void start() {
        for (final EventLoop loop : loops) {
            final Thread thread = new Thread(loop::run, "ringside-" + loop.name());
            threads.add(thread);
            thread.start();
        }
    }

    /**
     * Stops accepting, lets connections flush for up to {@code graceNs}, then closes everything and waits for
     * the loop threads to end. Each loop's grace deadline is a timer of its own, so this returns shortly after
     * the grace period even when some peers never read; every connection is closed (and counted) before it
     * returns, so the counters read afterwards are final.
     *
     * @param graceNs grace period for output to drain
     * @throws InterruptedException if interrupted while waiting
     */
    @Override
    public void shutdown(final long graceNs) throws InterruptedException {
        for (final EventLoop loop : loops) {
            if (!loop.execute(() -> loop.shutdown(graceNs))) {
                loop.stop();
            }
        }
        final long waitMs = graceNs / 1_000_000 + 5_000;
        for (final Thread thread : threads) {
            thread.join(waitMs);
        }
        for (final EventLoop loop : loops) {
            loop.stop();
        }
        for (int i = 0; i < threads.size(); i++) {
            final Thread thread = threads.get(i);
            thread.join(1_000);
            if (!thread.isAlive()) {
                // The loop thread has ended: closing on this thread is safe, and counts whatever was left open.
                loops.get(i).close();
            }
        }
    }

    /** @return the bound TCP addresses, in the order given */
    @Override
    public List<InetSocketAddress> tcpAddresses() {
        return tcpBound;
    }

    /** @return the bound UDP addresses, in the order given */
    @Override
    public List<InetSocketAddress> udpAddresses() {
        return udpBound;
    }

    /** @return the protocol served */
    public Protocol protocol() {
        return protocol;
    }

    /** @return the loops (for tests and embedding) */
    public List<EventLoop> loops() {
        return loops;
    }

    /** @return current counter totals across loops */
    @Override
    public CounterTotals totals() {
        return CounterTotals.read(countersReader);
    }

    /** @return the counters file, or {@code null} when not published */
    @Override
    public CountersFile countersFile() {
        return countersFile;
    }

    @Override
    public void close() {
        for (final EventLoop loop : loops) {
            loop.close();
        }
        if (countersFile != null) {
            countersFile.close();
        }
    }
}
