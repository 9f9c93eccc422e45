package dev.ringside.engine.model;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ringside.engine.protocol.CloseReason;


/**
 * A fixed pool of threads, each serving one connection at a time. A connection accepted while every thread
 * is busy waits in a bounded queue until one is free: its client is connected yet gets no reply. The wait is
 * made visible by the {@link ModelCounter#CONNECTIONS_QUEUED} gauge and the
 * {@link ModelCounter#CONNECTIONS_WAITED} count. The queue holds at most the server's connection limit,
 * which the acceptor enforces before queueing, so it never grows without bound.
 */
final class PoolDispatcher implements Dispatcher {
    /** How long stop() waits for each pool thread; they are idle in take() by then. */
    private static final long STOP_WAIT_MS = 5_000;

    private final int threadCount;
    private final ThreadFactory factory;
    private final ModelCounters counters;
    private final ArrayBlockingQueue<BlockingConnection> queue;
    /**
     * Threads not claimed by a connection: each dispatch claims one, each finished connection returns one.
     * A claim that finds none must wait for a connection to finish, which is exactly "waited".
     */
    private final AtomicInteger free;
    private final List<Thread> threads = new ArrayList<>();

    /**
     * @param threadCount    pool size
     * @param factory        makes the pool's threads
     * @param counters       where the queue is shown
     * @param queueCapacity  most connections that can wait (the connection limit)
     */
    PoolDispatcher(final int threadCount, final ThreadFactory factory, final ModelCounters counters,
        final int queueCapacity) {
        this.threadCount = threadCount;
        this.factory = factory;
        this.counters = counters;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.free = new AtomicInteger(threadCount);
    }

    @Override
    public void start() {
        for (int i = 0; i < threadCount; i++) {
            final Thread thread = factory.newThread(this::work);
            threads.add(thread);
            thread.start();
        }
    }

    @Override
    public void dispatch(final BlockingConnection connection) {
        final boolean waits = free.getAndDecrement() <= 0;
        counters.add(ModelCounter.CONNECTIONS_QUEUED, 1);
        if (!queue.offer(connection)) {
            // Cannot happen while the acceptor enforces the limit the queue was sized for; refuse, not block.
            counters.add(ModelCounter.CONNECTIONS_QUEUED, -1);
            free.incrementAndGet();
            connection.closeUnserved(null);
            return;
        }
        if (waits) {
            counters.add(ModelCounter.CONNECTIONS_WAITED, 1);
        }
    }

    private void work() {
        while (true) {
            final BlockingConnection connection;
            try {
                connection = queue.take();
            } catch (final InterruptedException ex) {
                return; // stop(): every connection has ended
            }
            counters.add(ModelCounter.CONNECTIONS_QUEUED, -1);
            try {
                connection.serve();
            } finally {
                free.incrementAndGet();
            }
        }
    }

    @Override
    public void closeQueued() {
        BlockingConnection connection;
        while ((connection = queue.poll()) != null) {
            counters.add(ModelCounter.CONNECTIONS_QUEUED, -1);
            free.incrementAndGet();
            connection.closeUnserved(CloseReason.SHUTDOWN);
        }
    }

    @Override
    public void stop() throws InterruptedException {
        for (final Thread thread : threads) {
            thread.interrupt();
        }
        for (final Thread thread : threads) {
            thread.join(STOP_WAIT_MS);
        }
    }

    /** @return connections waiting for a thread now */
    int queued() {
        return queue.size();
    }
}
