package dev.ringside.engine.loop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.ringside.engine.buffer.ByteRing;
import dev.ringside.engine.buffer.DatagramBuffers;
import dev.ringside.engine.buffer.SlabPool;
import dev.ringside.engine.config.IdleMode;
import dev.ringside.engine.config.LoopConfig;
import dev.ringside.engine.counter.EngineCounter;
import dev.ringside.engine.counter.LoopCounters;
import dev.ringside.engine.protocol.CloseReason;
import org.agrona.DeadlineTimerWheel;
import org.agrona.ErrorHandler;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.NanoClock;

/**
 * One selector, one thread, everything it touches.
 *
 * <p>The duty cycle, {@link #doWork()}, reads the clock once and then: drains commands from other threads
 * (bounded), polls the selector without blocking (accept, connect, read, write; each handler bounded by its
 * own budget), polls the timer wheel (bounded), and sends output that other connections queued this cycle.
 * It returns the work done; {@link #idle(int)} then blocks in {@code select} until the next timer tick
 * ({@link IdleMode#BLOCK}, and {@link IdleMode#BACKOFF} once its poll is over) or returns at once (spin).
 * {@link #run()} repeats the two until {@link #stop()} in a {@link LoopRunner}, which owns the idle policy.
 *
 * <p>Other threads talk to a loop only through {@link #execute(Runnable)}. Everything else must be called
 * on the loop thread; tests drive a loop by calling {@link #doWork()} on their own thread.
 */
public final class EventLoop implements LoopAgent, AutoCloseable {
    /** Timer tick: 2^24 ns (about 16.8 ms), so idle timers cost about 60 wake-ups a second, not a spin. */
    public static final long TIMER_TICK_NS = 1L << 24;
    private static final int TICKS_PER_WHEEL = 512;
    private static final int COMMAND_QUEUE_CAPACITY = 4096;
    /** Share of the pool kept for connections that hold nothing yet: 1/16 of its blocks. */
    private static final int RESERVE_SHIFT = 4;
    /** Memory stalled for less than this is not hoarded: a busy connection's rings move all the time. */
    public static final long SHED_MIN_STALL_NS = 1_000_000_000L;
    /** Most connections shed in one pass, so one pass stays short. */
    private static final int SHED_BATCH = 16;

    private final String name;
    private final LoopConfig config;
    private final NanoClock clock;
    private final LoopCounters counters;
    private final ErrorHandler errorHandler;
    private final Selector selector;
    private final SlabPool pool;
    private DatagramBuffers datagramBuffers;
    private final DeadlineTimerWheel timerWheel;
    private final Long2ObjectHashMap<TimerListener> timerListeners = new Long2ObjectHashMap<>();
    private final ManyToOneConcurrentArrayQueue<Runnable> commands =
        new ManyToOneConcurrentArrayQueue<>(COMMAND_QUEUE_CAPACITY);
    private final ArrayList<LoopResource> resources = new ArrayList<>();
    private final ArrayList<DeferredFlush> deferredFlushes = new ArrayList<>();
    private final ArrayList<RingWaiter> ringWaiters = new ArrayList<>();
    // Held in final fields so the hot path never creates a capturing lambda.
    private final Consumer<SelectionKey> onSelectedKey = this::onSelectedKey;
    private final Consumer<Runnable> runCommand = this::runCommand;
    private final DeadlineTimerWheel.TimerHandler onTimer = this::onTimer;
    /** The grace deadline is a timer of its own, so a loop blocked in select with no other timer still wakes. */
    private final TimerListener onGraceExpired = (expiredNs, timerId) -> graceExpired = true;

    private final int reserveBlocks;
    private boolean shedRequested;
    private long lastFruitlessShedNs;
    private long nowNs;
    private int openConnections;
    private boolean clockStale;
    private int selectedKeys;
    /**
     * The blocking select that just returned dispatched keys: the next cycle skips its {@code selectNow}.
     * Those keys were handled a moment ago, and anything that became ready since makes the next blocking
     * select (level-triggered epoll) return at once, so the extra non-blocking {@code epoll_wait} would
     * only add a system call to every wake-up.
     */
    private boolean skipNextSelectNow;
    private long shutdownDeadlineNs;
    private boolean shuttingDown;
    private boolean graceExpired;
    private volatile boolean running = true;
    private volatile Thread thread;
    private boolean closed;

    /**
     * Creates a loop and opens its selector.
     *
     * @param name         for thread and counter labels
     * @param config       settings
     * @param clock        time source; tests pass a manual clock
     * @param counters     this loop's counters
     * @param errorHandler receives unexpected exceptions (the loop carries on)
     */
    public EventLoop(final String name, final LoopConfig config, final NanoClock clock, final LoopCounters counters,
        final ErrorHandler errorHandler) {
        this.name = name;
        this.config = config;
        this.clock = clock;
        this.counters = counters;
        this.errorHandler = errorHandler;
        try {
            this.selector = Selector.open();
        } catch (final IOException ex) {
            throw new UncheckedIOException("cannot open a selector", ex);
        }
        this.pool = new SlabPool(config.ringStartBytes(), config.ringCapacityBytes(), config.poolRings());
        this.reserveBlocks = config.poolRings() >> RESERVE_SHIFT;
        this.nowNs = clock.nanoTime();
        this.timerWheel = new DeadlineTimerWheel(TimeUnit.NANOSECONDS, nowNs, TIMER_TICK_NS, TICKS_PER_WHEEL);
    }

    /**
     * The receive and send buffers every UDP endpoint of this loop shares (the loop is one thread, and an endpoint
     * is done with them before the next one runs), made on first use: a loop without UDP holds none.
     *
     * @return the loop's datagram buffers
     */
    public DatagramBuffers datagramBuffers() {
        if (datagramBuffers == null) {
            datagramBuffers = new DatagramBuffers(config.maxDatagramBytes());
        }
        return datagramBuffers;
    }

    /**
     * One duty cycle.
     *
     * @return units of work done; 0 means the loop may idle
     */
    @Override
    public int doWork() {
        nowNs = clock.nanoTime();
        counters.increment(EngineCounter.LOOP_CYCLES);
        int work = drainCommands();
        work += pollSelector();
        work += pollTimers();
        work += flushDeferred();
        if (shedRequested) {
            work += shedHoarders();
        }
        if (shuttingDown) {
            work += checkShutdown();
        }
        return work;
    }

    /**
     * Waits according to the idle mode when a cycle did no work. In {@link IdleMode#BLOCK} (and
     * {@link IdleMode#BACKOFF}, whose poll before the wait is {@link LoopRunner}'s) the wait is a
     * {@code select} that dispatches whatever becomes ready, bounded by the next timer tick.
     *
     * @param work what the last {@link #doWork()} returned
     */
    public void idle(final int work) {
        idle(work, Long.MAX_VALUE);
    }

    /**
     * As {@link #idle(int)}, for a caller with deadlines of its own (the load generator's next send): in
     * {@link IdleMode#BLOCK} the wait ends after at most {@code maxBlockNs}, rounded down to whole
     * milliseconds because that is {@code select}'s resolution; below one millisecond it does not block.
     *
     * @param work       what the last {@link #doWork()} returned
     * @param maxBlockNs longest the caller lets a blocking wait last
     */
    public void idle(final int work, final long maxBlockNs) {
        switch (config.idleMode()) {
            case BLOCK:
            case BACKOFF: // its poll before blocking is the runner's (LoopRunner): here it blocks as BLOCK does
                if (work == 0) {
                    blockInSelect(maxBlockNs);
                }
                break;
            case SPIN:
            default:
                break;
        }
    }

    /**
     * Runs duty cycles on the calling thread until {@link #stop()}, through the one {@link LoopRunner} every loop
     * thread uses; an {@link Error} ends it.
     */
    public void run() {
        thread = Thread.currentThread();
        new LoopRunner(this, clock).run(this);
    }

    @Override
    public void onCycleError(final RuntimeException ex) {
        onHandlerError(ex);
    }

    /**
     * Queues a command to run on the loop thread at its next cycle and wakes the loop. Safe from any thread.
     *
     * @param command what to run
     * @return false when the command queue is full (the command was not queued)
     */
    public boolean execute(final Runnable command) {
        if (!commands.offer(command)) {
            return false;
        }
        if (Thread.currentThread() != thread) {
            selector.wakeup();
        }
        return true;
    }

    /** Makes {@link #run()} return after the current cycle. Safe from any thread. */
    public void stop() {
        running = false;
        selector.wakeup();
    }

    /** @return whether {@link #run()} is still looping */
    @Override
    public boolean isRunning() {
        return running;
    }

    /**
     * Begins an orderly shutdown on the loop thread: listeners close, connections stop reading and close
     * once their output is sent, and after {@code graceNs} whatever remains is closed; then the loop stops.
     *
     * @param graceNs how long to let output drain
     */
    public void shutdown(final long graceNs) {
        if (shuttingDown) {
            return;
        }
        shuttingDown = true;
        shutdownDeadlineNs = nowNs + graceNs;
        scheduleTimer(shutdownDeadlineNs, onGraceExpired);
        for (int i = resources.size() - 1; i >= 0; i--) {
            if (i < resources.size()) {
                resources.get(i).onShutdown();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Services for endpoints (loop thread only)
    // ---------------------------------------------------------------------------------------------------

    /** @return the time read at the start of this cycle (refreshed after a blocking select) */
    public long nowNs() {
        return nowNs;
    }

    public String name() {
        return name;
    }

    public LoopConfig config() {
        return config;
    }

    public LoopCounters counters() {
        return counters;
    }

    public Selector selector() {
        return selector;
    }

    public ErrorHandler errorHandler() {
        return errorHandler;
    }

    /** @return the ring pool (for inspection; lease through {@link #leaseRing(int)}) */
    public SlabPool pool() {
        return pool;
    }

    /**
     * Leases the smallest ring that holds {@code bytes} from the pool.
     *
     * @param bytes what the ring must hold (the largest ring when more)
     * @return a ring, or {@code null} when the pool cannot supply one
     */
    public ByteRing leaseRing(final int bytes) {
        return leaseRing(bytes, true);
    }

    /**
     * Leases the smallest ring that holds {@code bytes}. Only a first ring (a connection that holds nothing, or
     * its first output) may use the pool's reserve; growth may not. When a lease fails or dips into the reserve,
     * the loop sheds the worst hoarders at the end of this cycle.
     *
     * @param bytes     what the ring must hold
     * @param firstRing whether the caller holds no stalled memory (it may use the reserve)
     * @return a ring, or {@code null} when the pool cannot supply one
     */
    public ByteRing leaseRing(final int bytes, final boolean firstRing) {
        final ByteRing ring = pool.lease(bytes, firstRing ? 0 : reserveBlocks);
        if (ring == null || pool.freeBlocks() < reserveBlocks) {
            shedRequested = true;
        }
        if (ring != null) {
            counters.set(EngineCounter.RINGS_LEASED, pool.leasedCount());
            counters.set(EngineCounter.POOL_BYTES_LEASED, pool.leasedBytes());
        }
        return ring;
    }

    /**
     * Returns a ring and lets one waiter, if any, try again.
     *
     * @param ring the ring
     */
    public void releaseRing(final ByteRing ring) {
        pool.release(ring);
        counters.set(EngineCounter.RINGS_LEASED, pool.leasedCount());
        counters.set(EngineCounter.POOL_BYTES_LEASED, pool.leasedBytes());
        final int waiters = ringWaiters.size();
        if (waiters > 0) {
            ringWaiters.remove(waiters - 1).onRingAvailable();
        }
    }

    /**
     * Registers interest in the next returned ring.
     *
     * @param waiter called once when a ring comes back
     */
    public void awaitRing(final RingWaiter waiter) {
        ringWaiters.add(waiter);
    }

    /**
     * Forgets a waiter that closed.
     *
     * @param waiter the waiter
     */
    public void cancelRingWait(final RingWaiter waiter) {
        ringWaiters.remove(waiter);
    }

    /**
     * Asks for {@link DeferredFlush#onDeferredFlush()} at the end of this cycle. The caller keeps a flag so it
     * registers at most once per cycle.
     *
     * @param flush what to call
     */
    public void deferFlush(final DeferredFlush flush) {
        deferredFlushes.add(flush);
    }

    /**
     * Schedules a timer.
     *
     * @param deadlineNs when, on this loop's clock
     * @param listener   called on expiry
     * @return the timer id, for {@link #cancelTimer}
     */
    public long scheduleTimer(final long deadlineNs, final TimerListener listener) {
        if (timerWheel.timerCount() == 0) {
            // The wheel advances one tick per poll; after a long sleep with no timers, start it at now rather
            // than make it catch up tick by tick.
            timerWheel.currentTickTime(nowNs);
        }
        final long timerId = timerWheel.scheduleTimer(deadlineNs);
        timerListeners.put(timerId, listener);
        return timerId;
    }

    /**
     * Cancels a timer; harmless if it already fired.
     *
     * @param timerId the id from {@link #scheduleTimer}
     */
    public void cancelTimer(final long timerId) {
        if (timerListeners.remove(timerId) != null) {
            timerWheel.cancelTimer(timerId);
        }
    }

    /** @return timers scheduled and not yet expired or cancelled */
    public long timerCount() {
        return timerWheel.timerCount();
    }

    /** Counts a stream connection that became open. */
    public void onConnectionOpened() {
        openConnections++;
        counters.set(EngineCounter.CONNECTIONS_OPEN, openConnections);
    }

    /** Counts a stream connection that closed after being open. */
    public void onConnectionClosed() {
        openConnections--;
        counters.set(EngineCounter.CONNECTIONS_OPEN, openConnections);
    }

    /** @return stream connections open now */
    public int openConnections() {
        return openConnections;
    }

    /**
     * Adds a resource to be closed on shutdown.
     *
     * @param resource the resource
     */
    public void addResource(final LoopResource resource) {
        resource.resourceIndex = resources.size();
        resources.add(resource);
    }

    /**
     * Forgets a closed resource (swap-remove: O(1), no allocation).
     *
     * @param resource the resource
     */
    public void removeResource(final LoopResource resource) {
        final int index = resource.resourceIndex;
        if (index < 0) {
            return;
        }
        final int last = resources.size() - 1;
        final LoopResource moved = resources.remove(last);
        if (index != last) {
            resources.set(index, moved);
            moved.resourceIndex = index;
        }
        resource.resourceIndex = -1;
    }

    /** @return resources open now (listeners, connections, datagram endpoints) */
    public int resourceCount() {
        return resources.size();
    }

    /**
     * Reports an unexpected exception: the error handler hears of it and it is counted.
     *
     * @param ex the exception
     */
    public void onHandlerError(final Exception ex) {
        counters.increment(EngineCounter.HANDLER_ERRORS);
        errorHandler.onError(ex);
    }

    // ---------------------------------------------------------------------------------------------------
    // Duty-cycle steps
    // ---------------------------------------------------------------------------------------------------

    private int drainCommands() {
        return commands.drain(runCommand, config.commandBudget());
    }

    private void runCommand(final Runnable command) {
        counters.increment(EngineCounter.COMMANDS);
        try {
            command.run();
        } catch (final RuntimeException ex) {
            onHandlerError(ex);
        }
    }

    private int pollSelector() {
        if (skipNextSelectNow) {
            skipNextSelectNow = false;
            return 0;
        }
        selectedKeys = 0;
        try {
            selector.selectNow(onSelectedKey);
        } catch (final IOException ex) {
            onHandlerError(ex);
        }
        return selectedKeys;
    }

    private void blockInSelect(final long maxBlockNs) {
        long timeoutMs;
        if (timerWheel.timerCount() > 0) {
            final long untilTickNs = timerWheel.currentTickTime() + TIMER_TICK_NS - nowNs;
            if (untilTickNs <= 0) {
                return; // a tick is due: let the next cycle poll the wheel
            }
            timeoutMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(untilTickNs + 999_999));
        } else {
            timeoutMs = 0; // no timers: sleep until I/O or a command
        }
        if (maxBlockNs != Long.MAX_VALUE) {
            final long callerMs = TimeUnit.NANOSECONDS.toMillis(maxBlockNs);
            if (callerMs < 1) {
                return; // the caller's deadline is too close for select's millisecond resolution
            }
            timeoutMs = timeoutMs == 0 ? callerMs : Math.min(timeoutMs, callerMs);
        }
        if (!commands.isEmpty()) {
            return;
        }
        clockStale = true;
        selectedKeys = 0;
        try {
            selector.select(onSelectedKey, timeoutMs);
        } catch (final IOException ex) {
            onHandlerError(ex);
        }
        clockStale = false;
        skipNextSelectNow = selectedKeys > 0;
        counters.increment(EngineCounter.SELECT_WAKEUPS);
    }

    private void onSelectedKey(final SelectionKey key) {
        if (clockStale) {
            // The cycle's clock reading predates the blocking select; refresh it once for this batch.
            nowNs = clock.nanoTime();
            clockStale = false;
        }
        selectedKeys++;
        final Object attachment = key.attachment();
        try {
            ((SelectHandler) attachment).onSelected(key);
        } catch (final java.nio.channels.CancelledKeyException ex) {
            // The handler closed its own channel while handling the key: nothing left to do.
            return;
        } catch (final RuntimeException ex) {
            onHandlerError(ex);
            if (attachment instanceof LoopResource) {
                ((LoopResource) attachment).close(CloseReason.HANDLER_ERROR);
            }
        }
    }

    private int pollTimers() {
        if (timerWheel.timerCount() == 0) {
            return 0;
        }
        return timerWheel.poll(nowNs, onTimer, config.timerBudget());
    }

    private boolean onTimer(final TimeUnit timeUnit, final long now, final long timerId) {
        final TimerListener listener = timerListeners.remove(timerId);
        if (listener != null) {
            counters.increment(EngineCounter.TIMER_EXPIRIES);
            try {
                listener.onTimerExpiry(nowNs, timerId);
            } catch (final RuntimeException ex) {
                onHandlerError(ex);
            }
        }
        return true;
    }

    private int flushDeferred() {
        final int count = deferredFlushes.size();
        if (count == 0) {
            return 0;
        }
        int work = 0;
        // Flushing may queue more (a closing member's room); process only what was queued before this pass.
        for (int i = 0; i < count; i++) {
            work += deferredFlushes.get(i).onDeferredFlush();
        }
        if (deferredFlushes.size() == count) {
            deferredFlushes.clear();
        } else {
            deferredFlushes.subList(0, count).clear();
        }
        return work;
    }

    /**
     * The pool runs low: close the connections holding the most stalled memory for the longest, so the reserve
     * is restored and waiting readers get rings, instead of every reader stalling behind a few hoarders. Only
     * memory stalled for at least {@link #SHED_MIN_STALL_NS} counts. A pass that finds no hoarder is not
     * repeated within a timer tick.
     */
    private int shedHoarders() {
        if (lastFruitlessShedNs != 0 && nowNs - lastFruitlessShedNs < TIMER_TICK_NS) {
            return 0;
        }
        shedRequested = false;
        int shed = 0;
        while (shed < SHED_BATCH && (pool.freeBlocks() < reserveBlocks || !ringWaiters.isEmpty())) {
            LoopResource worst = null;
            long worstScore = 0;
            for (int i = 0; i < resources.size(); i++) {
                final LoopResource resource = resources.get(i);
                final long score = resource.shedScore(nowNs, SHED_MIN_STALL_NS);
                if (score > worstScore) {
                    worstScore = score;
                    worst = resource;
                }
            }
            if (worst == null) {
                break;
            }
            worst.close(CloseReason.SHED_POOL_LOW);
            shed++;
        }
        if (shed == 0) {
            lastFruitlessShedNs = nowNs == 0 ? 1 : nowNs;
            shedRequested = pool.freeBlocks() < reserveBlocks || !ringWaiters.isEmpty();
        } else {
            lastFruitlessShedNs = 0;
        }
        return shed;
    }

    /** @return free blocks kept for connections that hold nothing yet */
    public int reserveBlocks() {
        return reserveBlocks;
    }

    private int checkShutdown() {
        boolean waiting = false;
        for (int i = 0; i < resources.size(); i++) {
            if (resources.get(i).holdsShutdown()) {
                waiting = true;
                break;
            }
        }
        if (waiting && !graceExpired && shutdownDeadlineNs - nowNs > 0) {
            return 0;
        }
        for (int i = resources.size() - 1; i >= 0; i--) {
            if (i < resources.size()) {
                resources.get(i).close(CloseReason.SHUTDOWN);
            }
        }
        shuttingDown = false;
        running = false;
        return 1;
    }

    /** Closes every resource and the selector; idempotent. Call on the loop thread or after it ended. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        running = false;
        for (int i = resources.size() - 1; i >= 0; i--) {
            if (i < resources.size()) {
                resources.get(i).close(CloseReason.SHUTDOWN);
            }
        }
        try {
            selector.close();
        } catch (final IOException ex) {
            errorHandler.onError(ex);
        }
        pool.close();
    }
}
