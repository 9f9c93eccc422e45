package dev.ringside.engine.model;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ringside.engine.config.LoopConfig;
import dev.ringside.engine.counter.CounterTotals;
import dev.ringside.engine.counter.CountersFile;
import dev.ringside.engine.endpoint.ReflectionGuard;
import dev.ringside.engine.protocol.CloseReason;
import dev.ringside.engine.protocol.Protocol;
import org.agrona.ErrorHandler;

/**
 * A server of one of the blocking models — iterative, thread, pool, virtual — around the same protocol
 * sessions as the selector loop.
 *
 * <p>Each TCP listener has an accepting thread; the model decides who serves an accepted connection
 * ({@link Dispatcher}): the accepting thread itself (iterative), a new platform or virtual thread, or a
 * fixed pool. Each UDP endpoint has one thread in a blocking receive-and-reply loop.
 *
 * <p>Limits: a blocking connection holds its rings for its whole life (its thread blocks in {@code read} into
 * one): two full rings, or one small ring for chat, whose members are sent the room's broadcast ring; so at most
 * {@code poolBytes / reserved} connections are served at once, and never more
 * than {@code maxConnections}; beyond that a connection is accepted, closed and counted as rejected. The
 * pool model's queue also counts toward {@code maxConnections}.
 */
public final class BlockingServer implements RunningServer {
    /** After the grace period and a forced close, how long to wait for connection threads to finish. */
    private static final long FORCED_CLOSE_WAIT_NS = TimeUnit.SECONDS.toNanos(5);
    private static final long JOIN_WAIT_MS = 5_000;

    private final ServerModel model;
    private final CounterStore store;
    private final ModelCounters counters;
    private final ConnectionServices services;
    private final Dispatcher dispatcher;
    private final List<BlockingAcceptor> acceptors = new ArrayList<>();
    private final List<BlockingDatagramLoop> datagramLoops = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final List<InetSocketAddress> tcpBound = new ArrayList<>();
    private final List<InetSocketAddress> udpBound = new ArrayList<>();
    private boolean started;
    private boolean stopped;
    private boolean closed;

    /**
     * Binds every listener; nothing is served until {@link #start()}.
     *
     * @param settings model, addresses, limits
     * @param protocol what to serve
     * @param store    where the counters live; owned (closed) by the server
     * @param counters this server's counter set in {@code store}
     * @param errors   where unexpected errors are reported
     * @throws IOException when an address cannot be bound; the message names it
     * @throws IllegalStateException for the virtual model on a JDK without virtual threads
     */
    public BlockingServer(final BlockingSettings settings, final Protocol protocol, final CounterStore store,
        final ModelCounters counters, final ErrorHandler errors) throws IOException {
        this.model = settings.model();
        this.store = store;
        this.counters = counters;
        try {
            if (!settings.udpAddresses().isEmpty() && !protocol.supportsDatagrams()) {
                throw new IllegalArgumentException(
                    "protocol '" + protocol.name() + "' has no UDP form; drop --udp");
            }
            final LoopConfig config = settings.config();
            final ThreadFactory connectionThreads = model == ServerModel.VIRTUAL
                ? VirtualThreads.factory("ringside-virtual-") : platformThreads("ringside-" + model.label() + "-");
            final RingPool rings = new RingPool(config.ringStartBytes(), config.ringCapacityBytes(),
                config.poolBytes(), counters);
            this.services = new ConnectionServices(protocol, config, rings, counters, errors, connectionThreads);
            this.dispatcher = dispatcher(settings, connectionThreads, protocol);
            final int limit = connectionLimit(settings, protocol);
            bind(settings, protocol, limit, errors);
        } catch (final IOException | RuntimeException ex) {
            closeBound();
            store.close();
            throw ex;
        }
    }

    private Dispatcher dispatcher(final BlockingSettings settings, final ThreadFactory connectionThreads,
        final Protocol protocol) {
        final LoopConfig config = settings.config();
        switch (model) {
            case ITERATIVE:
                return new IterativeDispatcher();
            case POOL:
                if (settings.threads() > servedAtOnce(config, protocol)) {
                    throw new IllegalArgumentException("--threads " + settings.threads() + " needs "
                        + settings.threads() * reservedBytes(config, protocol) + " bytes of rings but the pool holds "
                        + config.poolBytes() + "; raise --pool-size or lower --ring-capacity");
                }
                return new PoolDispatcher(settings.threads(), connectionThreads, counters, config.maxConnections());
            default:
                return new ThreadPerConnectionDispatcher(connectionThreads, services);
        }
    }

    /**
     * Ring bytes admission reserves for one served connection: two full rings, or for a protocol that writes no
     * output of its own (chat) one smallest ring, which grows only while a line needs it (see
     * {@link BlockingConnection}).
     */
    private static long reservedBytes(final LoopConfig config, final Protocol protocol) {
        return protocol.writesOwnOutput() ? 2L * config.ringCapacityBytes() : config.ringStartBytes();
    }

    /** @return connections the pool can serve at once with their reserved rings */
    private static int servedAtOnce(final LoopConfig config, final Protocol protocol) {
        return (int) Math.min(Integer.MAX_VALUE, config.poolBytes() / reservedBytes(config, protocol));
    }

    /** Most connections admitted at once (served, or queued for the pool). */
    private int connectionLimit(final BlockingSettings settings, final Protocol protocol) {
        final LoopConfig config = settings.config();
        switch (model) {
            case ITERATIVE:
                return 1; // only the one being served is accepted; later clients wait in the listen backlog
            case POOL:
                return config.maxConnections(); // served ones are bounded by the pool size, checked above
            default:
                return Math.min(config.maxConnections(), servedAtOnce(config, protocol));
        }
    }

    private void bind(final BlockingSettings settings, final Protocol protocol, final int limit,
        final ErrorHandler errors) throws IOException {
        final LoopConfig config = settings.config();
        for (final InetSocketAddress address : settings.tcpAddresses()) {
            final BlockingAcceptor acceptor;
            try {
                acceptor = BlockingAcceptor.open(address, settings.reusePort(), services, dispatcher, limit,
                    config.acceptBackoffNs());
            } catch (final IOException ex) {
                throw new IOException("cannot listen on tcp " + format(address) + ": " + ex.getMessage()
                    + " (choose another port, or stop whatever holds it)", ex);
            }
            acceptors.add(acceptor);
            tcpBound.add(acceptor.localAddress());
        }
        // One guard for every UDP endpoint: a datagram from any of them is the server's own.
        final ReflectionGuard guard = new ReflectionGuard();
        for (final InetSocketAddress address : settings.udpAddresses()) {
            final BlockingDatagramLoop loop;
            try {
                loop = BlockingDatagramLoop.bind(address, settings.reusePort(),
                    protocol.newDatagramHandler(format(address)), guard, config, counters, errors);
            } catch (final IOException ex) {
                throw new IOException("cannot bind udp " + format(address) + ": " + ex.getMessage()
                    + " (choose another port, or stop whatever holds it)", ex);
            }
            datagramLoops.add(loop);
            udpBound.add(loop.localAddress());
        }
    }

    private void closeBound() {
        for (final BlockingAcceptor acceptor : acceptors) {
            acceptor.close();
        }
        for (final BlockingDatagramLoop loop : datagramLoops) {
            loop.close();
        }
    }

    private static ThreadFactory platformThreads(final String prefix) {
        final AtomicInteger next = new AtomicInteger();
        return task -> {
            final Thread thread = new Thread(task, prefix + next.getAndIncrement());
            // Daemon: at exit the shutdown hook has already closed every connection these threads serve.
            thread.setDaemon(true);
            return thread;
        };
    }

    private static String format(final InetSocketAddress address) {
        return address.getHostString() + ":" + address.getPort();
    }

    @Override
    public synchronized void start() {
        if (started || stopped) {
            return;
        }
        started = true;
        dispatcher.start();
        final ThreadFactory serverThreads = platformThreads("ringside-" + model.label() + "-listener-");
        for (final BlockingAcceptor acceptor : acceptors) {
            threads.add(serverThreads.newThread(acceptor));
        }
        for (final BlockingDatagramLoop loop : datagramLoops) {
            threads.add(serverThreads.newThread(loop));
        }
        for (final Thread thread : threads) {
            thread.start();
        }
    }

    /**
     * Stops accepting and receiving; asks every connection to stop reading and send what it owes; after
     * {@code graceNs} closes what is left; waits for every thread, so no counter is touched afterwards.
     */
    @Override
    public synchronized void shutdown(final long graceNs) throws InterruptedException {
        if (stopped) {
            return;
        }
        stopped = true;
        final long deadlineNs = System.nanoTime() + graceNs;
        closeBound();
        dispatcher.closeQueued();
        services.live.requestShutdown();
        if (!services.live.awaitEmpty(deadlineNs)) {
            services.live.closeAll(CloseReason.SHUTDOWN);
            services.live.awaitEmpty(System.nanoTime() + FORCED_CLOSE_WAIT_NS);
        }
        for (final Thread thread : threads) {
            // An iterative listener thread returns once the connection it serves has ended (above).
            thread.join(JOIN_WAIT_MS);
        }
        dispatcher.stop();
    }

    @Override
    public List<InetSocketAddress> tcpAddresses() {
        return tcpBound;
    }

    @Override
    public List<InetSocketAddress> udpAddresses() {
        return udpBound;
    }

    @Override
    public CounterTotals totals() {
        return store.totals();
    }

    @Override
    public CountersFile countersFile() {
        return store.file();
    }

    /** @return the model served */
    public ServerModel model() {
        return model;
    }

    /** @return this server's counters */
    public ModelCounters counters() {
        return counters;
    }

    /** @return connections being served or queued now */
    public int openConnections() {
        return services.openConnections();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        try {
            shutdown(0);
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        closed = true;
        if (services.live.size() == 0) {
            store.close();
        }
        // else: a connection thread would still write counters; leaving the mapping alive is the safe choice
    }
}
