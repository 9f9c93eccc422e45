package dev.ringside.bench.driver;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import dev.ringside.bench.record.BenchResult;
import dev.ringside.bench.record.ConnectionChurn;
import dev.ringside.bench.record.ErrorKind;
import dev.ringside.bench.record.GeneratorHealth;
import dev.ringside.bench.record.IntervalListener;
import dev.ringside.bench.record.IntervalSample;
import dev.ringside.bench.record.IntervalStat;
import dev.ringside.bench.record.LatencyRecorder;
import dev.ringside.bench.record.LoadCounter;
import dev.ringside.bench.record.RunInfo;
import dev.ringside.bench.schedule.Timeline;
import dev.ringside.bench.verdict.ShortfallCause;
import org.HdrHistogram.Histogram;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.SystemNanoClock;

/**
 * Runs a benchmark: starts one {@link LoadDriver} per thread, waits for the connection ramp, starts the
 * load, and once a second takes each thread's interval histograms and counters and hands them to the
 * listeners (progress line, interval log). After the measurement window it waits for the replies still
 * owed (up to the response timeout), stops the threads and builds the {@link BenchResult}.
 *
 * <p>Runs on the calling thread, which does no I/O of its own. {@link #interrupt} (a signal handler) cuts the
 * run short: sending stops, in-flight requests get up to the response timeout to be answered (a second call
 * skips that), and the result covers what was measured. A generator thread that dies ends the run the same
 * way, and the result says so.
 */
public final class BenchRunner {
    private static final long TICK_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long POLL_NS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final int MAX_PRINTED_ERRORS = 10;

    private final BenchSettings settings;
    private final List<IntervalListener> listeners;
    private final PrintStream errors;
    private final RunControl control = new RunControl();
    private final List<LoadDriver> drivers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicInteger printedErrors = new AtomicInteger();
    private final IntervalSample sample = new IntervalSample();
    private final Histogram scratchCorrected = LatencyRecorder.newHistogram();
    private final Histogram scratchUncorrected = LatencyRecorder.newHistogram();
    private final Histogram totalCorrected = LatencyRecorder.newHistogram();
    private final Histogram totalUncorrected = LatencyRecorder.newHistogram();
    private final List<IntervalStat> intervals = new ArrayList<>();
    private long epochMsAtStart;
    private long nanoAtStart;
    private long lastTickNs;
    private long lastCompleted;
    private long lastWarmupCompleted;
    private long lastOpened;
    private long connectionsOpenOverride = -1;
    private long[] busyAtWindowStart;
    private long[] busyAtWindowEnd;
    private long windowEndNs;
    private volatile Thread runnerThread;
    private volatile String interruptedBy;
    private volatile boolean skipDrain;
    private volatile String failure;

    /**
     * Prepares a run.
     *
     * @param settings  validated settings
     * @param listeners hear each interval, on the calling thread
     * @param errors    where unexpected errors inside the generator are reported
     */
    public BenchRunner(final BenchSettings settings, final List<IntervalListener> listeners,
        final PrintStream errors) {
        this.settings = settings;
        this.listeners = listeners;
        this.errors = errors;
    }

    /**
     * Cuts the run short (any thread; a signal handler). The first call stops sending and lets the replies
     * still owed come in, up to the response timeout; a second call skips that wait.
     *
     * @param signal what interrupted the run, e.g. {@code SIGINT}
     */
    public void interrupt(final String signal) {
        if (interruptedBy == null) {
            interruptedBy = signal;
            control.stopSending();
        } else {
            skipDrain = true;
        }
        wakeAll();
        final Thread runner = runnerThread;
        if (runner != null) {
            LockSupport.unpark(runner);
        }
    }

    /**
     * Runs the benchmark to the end (or until interrupted, or a generator thread dies).
     *
     * @return what was measured
     * @throws IllegalStateException when no connection could be established (the message says why)
     * @throws InterruptedException  when interrupted
     */
    public BenchResult run() throws InterruptedException {
        final SystemNanoClock clock = SystemNanoClock.INSTANCE;
        runnerThread = Thread.currentThread();
        try {
            for (int t = 0; t < settings.threads(); t++) {
                drivers.add(new LoadDriver(settings, t, clock, control, errorHandler("thread-" + t)));
            }
            epochMsAtStart = System.currentTimeMillis();
            nanoAtStart = clock.nanoTime();
            lastTickNs = nanoAtStart;
            for (final LoadDriver driver : drivers) {
                final Thread thread = new Thread(driver::run, "ringside-bench-" + threads.size());
                thread.setDaemon(true);
                thread.setUncaughtExceptionHandler(this::onThreadDied);
                threads.add(thread);
                thread.start();
            }
            awaitConnections(clock);
            final long established = sum(LoadCounter.CONNECTIONS_ESTABLISHED);
            if (established == 0 && !stopEarly()) {
                final String why = firstConnectFailure();
                throw new IllegalStateException("no connection to " + settings.target().getAddress().getHostAddress()
                    + ":" + settings.target().getPort() + " could be established" + (why == null ? "" : ": " + why)
                    + " (is the server running on that address?)");
            }
            final long loadStartNs = clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1);
            final Timeline timeline = new Timeline(loadStartNs, settings.warmupNs(), settings.durationNs());
            windowEndNs = timeline.measureStartNs(); // an empty window unless the load runs into it
            long drainEndNs = loadStartNs;
            if (!stopEarly()) {
                control.startLoad(loadStartNs);
                wakeAll();
                lastTickNs = loadStartNs;
                runLoad(clock, timeline);
                drainEndNs = drain(clock, timeline);
            }
            final long openAtEnd = sum(LoadCounter.CONNECTIONS_OPEN);
            stopThreads();
            // The last interval is taken once the threads have stopped, so it holds every remaining sample.
            connectionsOpenOverride = openAtEnd;
            tick(clock.nanoTime(), IntervalSample.Phase.DRAINING, timeline);
            // Clients, not connections: one that was reopened a hundred times was established once. One whose
            // first attempt failed and a retry succeeded during the run was established too.
            return result(timeline, established, sum(LoadCounter.CONNECTIONS_ESTABLISHED), drainEndNs);
        } finally {
            stopThreads();
            runnerThread = null;
        }
    }

    private void onThreadDied(final Thread thread, final Throwable cause) {
        if (failure == null) {
            failure = thread.getName() + " died: " + cause;
        }
        errors.println("ringside bench: generator thread " + thread.getName() + " died: " + cause);
        final Thread runner = runnerThread;
        if (runner != null) {
            LockSupport.unpark(runner);
        }
    }

    private boolean stopEarly() {
        return interruptedBy != null || failure != null;
    }

    private void awaitConnections(final SystemNanoClock clock) {
        final long capNs = clock.nanoTime() + settings.connectTimeoutNs() + TimeUnit.SECONDS.toNanos(10)
            + (long) (settings.connections() / settings.connectRate() * 1e9);
        long nextTickNs = lastTickNs + TICK_NS;
        while (sum(LoadCounter.CONNECTS_RESOLVED) < settings.connections() && !allFinished() && !stopEarly()) {
            final long nowNs = clock.nanoTime();
            if (nowNs - capNs >= 0) {
                break;
            }
            if (nowNs - nextTickNs >= 0) {
                tick(nowNs, IntervalSample.Phase.CONNECTING, null);
                nextTickNs += TICK_NS;
            }
            LockSupport.parkNanos(Math.min(POLL_NS, nextTickNs - nowNs));
        }
    }

    private void runLoad(final SystemNanoClock clock, final Timeline timeline) {
        // Ticks fall every second, and one falls exactly on the start and one on the end of the measurement
        // window, so no interval straddles a phase boundary.
        boolean warmup = true;
        long nextTickNs = lastTickNs + TICK_NS;
        while (true) {
            final long boundaryNs = warmup ? timeline.measureStartNs() : timeline.measureEndNs();
            final long dueNs = nextTickNs - boundaryNs < 0 ? nextTickNs : boundaryNs;
            final long nowNs = clock.nanoTime();
            if (stopEarly()) {
                // Cut short: the window ends now (it never began if the warm-up was still running).
                if (!warmup) {
                    windowEndNs = nowNs;
                    busyAtWindowEnd = busy();
                }
                return;
            }
            if (nowNs - dueNs < 0) {
                LockSupport.parkNanos(dueNs - nowNs);
                continue;
            }
            tick(dueNs, warmup ? IntervalSample.Phase.WARMUP : IntervalSample.Phase.MEASURING, timeline);
            nextTickNs = dueNs + TICK_NS;
            if (dueNs == boundaryNs) {
                if (!warmup) {
                    windowEndNs = boundaryNs;
                    busyAtWindowEnd = busy();
                    return;
                }
                busyAtWindowStart = busy();
                warmup = false;
            }
        }
    }

    private long[] busy() {
        final long[] busy = new long[drivers.size()];
        for (int i = 0; i < busy.length; i++) {
            busy[i] = drivers.get(i).busyNs();
        }
        return busy;
    }

    private long drain(final SystemNanoClock clock, final Timeline timeline) {
        // Open loop may send its backlog for one timeout after the window; whatever is sent gets one more
        // timeout to be answered. Interrupted: nothing more is sent, what is in flight gets one timeout.
        final long deadlineNs = interruptedBy != null ? clock.nanoTime() + settings.timeoutNs()
            : timeline.measureEndNs() + (settings.closedLoop() ? 1 : 2) * settings.timeoutNs()
                + TimeUnit.MILLISECONDS.toNanos(20);
        final boolean chat = settings.broadcast();
        final long established = sum(LoadCounter.CONNECTIONS_ESTABLISHED);
        long nextTickNs = clock.nanoTime() + TICK_NS;
        while (true) {
            final long nowNs = clock.nanoTime();
            final boolean quiet = chat
                ? sum(LoadCounter.COMPLETED) >= sum(LoadCounter.SENT) * (established - 1)
                : sum(LoadCounter.IN_FLIGHT) <= 0 && allSendingDone();
            if (quiet || nowNs - deadlineNs >= 0 || allFinished() || skipDrain || failure != null) {
                return nowNs;
            }
            if (nowNs - nextTickNs >= 0) {
                tick(nowNs, IntervalSample.Phase.DRAINING, timeline);
                nextTickNs += TICK_NS;
            }
            LockSupport.parkNanos(Math.min(POLL_NS, deadlineNs - nowNs));
        }
    }

    private void tick(final long tickNs, final IntervalSample.Phase phase, final Timeline timeline) {
        final boolean measured = phase == IntervalSample.Phase.MEASURING || phase == IntervalSample.Phase.DRAINING;
        final Histogram corrected = sample.corrected();
        final Histogram uncorrected = sample.uncorrected();
        corrected.reset();
        uncorrected.reset();
        if (phase != IntervalSample.Phase.CONNECTING) {
            for (final LoadDriver driver : drivers) {
                (measured ? driver.measuredRecorder() : driver.warmupRecorder())
                    .takeInterval(scratchCorrected, scratchUncorrected);
                corrected.add(scratchCorrected);
                uncorrected.add(scratchUncorrected);
            }
        }
        final long startMs = epochMs(lastTickNs);
        final long endMs = epochMs(tickNs);
        corrected.setStartTimeStamp(startMs);
        corrected.setEndTimeStamp(endMs);
        uncorrected.setStartTimeStamp(startMs);
        uncorrected.setEndTimeStamp(endMs);
        final long completedNow = sum(LoadCounter.COMPLETED);
        final long warmupNow = sum(LoadCounter.WARMUP_COMPLETED);
        final long completed = measured ? completedNow - lastCompleted : warmupNow - lastWarmupCompleted;
        // Every reply in the interval, late replies to warm-up requests included: what the server delivered.
        final long replies = completedNow - lastCompleted + warmupNow - lastWarmupCompleted;
        lastCompleted = completedNow;
        lastWarmupCompleted = warmupNow;
        final double intervalS = (tickNs - lastTickNs) / 1e9;
        sample.set(phase, (tickNs - nanoAtStart) / 1e9, intervalS, startMs, endMs, completed,
            connectionsOpenOverride >= 0 ? connectionsOpenOverride : sum(LoadCounter.CONNECTIONS_OPEN),
            settings.connections(), sum(LoadCounter.CONNECTS_RESOLVED),
            errorTotal());
        final long openedNow = sum(LoadCounter.CONNECTIONS_OPENED);
        sample.churn(sum(LoadCounter.RECONNECTS),
            phase == IntervalSample.Phase.CONNECTING ? 0 : openedNow - lastOpened);
        lastOpened = openedNow;
        if (measured) {
            totalCorrected.add(corrected);
            totalUncorrected.add(uncorrected);
            if (corrected.getTotalCount() > 0 || phase == IntervalSample.Phase.MEASURING) {
                intervals.add(new IntervalStat((tickNs - timeline.measureStartNs()) / 1e9, intervalS,
                    replies, corrected.getValueAtPercentile(50), corrected.getValueAtPercentile(99),
                    corrected.getMaxValue(), uncorrected.getValueAtPercentile(99)));
            }
        }
        lastTickNs = tickNs;
        for (final IntervalListener listener : listeners) {
            listener.onInterval(sample);
        }
    }

    private BenchResult result(final Timeline timeline, final long establishedAtStart, final long established,
        final long drainEndNs) {
        final Map<ErrorKind, Long> errorCounts = new LinkedHashMap<>();
        for (final ErrorKind kind : ErrorKind.values()) {
            long count = 0;
            for (final LoadDriver driver : drivers) {
                count += driver.counters().errors(kind);
            }
            errorCounts.put(kind, count);
        }
        final boolean chat = settings.broadcast();
        final double durationS = Math.max(0, windowEndNs - timeline.measureStartNs()) / 1e9;
        final long sent = sum(LoadCounter.SENT);
        final long completed = sum(LoadCounter.COMPLETED);
        final double achieved = durationS > 0 ? (chat ? sent : completed) / durationS : 0;
        final long expectedDeliveries = chat ? sent * (establishedAtStart - 1) : -1;
        final long reconnects = sum(LoadCounter.RECONNECTS);
        long inFlightAtEnd = sum(LoadCounter.IN_FLIGHT_AT_END);
        for (final LoadDriver driver : drivers) {
            if (!driver.hasFinishedCleanly()) {
                // Its thread died before it could count: what it sent and did not end is still in flight.
                long ended = driver.counters().get(LoadCounter.COMPLETED)
                    + driver.counters().get(LoadCounter.IN_FLIGHT_AT_END);
                for (final ErrorKind kind : ErrorKind.values()) {
                    ended += kind.endsRequest() ? driver.counters().errors(kind) : 0;
                }
                inFlightAtEnd += Math.max(0, driver.counters().get(LoadCounter.SENT) - ended);
            }
        }
        final GeneratorHealth health = new GeneratorHealth(dutyCycles(timeline), printedErrors.get(), failure,
            interruptedBy);
        final List<String> warnings = new ArrayList<>();
        if (failure != null) {
            warnings.add("the generator failed (" + failure + "): its figures stop where it did");
        }
        if (printedErrors.get() > 0) {
            warnings.add(printedErrors.get() + " unexpected errors inside the generator (printed above)");
        }
        if (interruptedBy != null) {
            warnings.add(String.format(Locale.ROOT, "interrupted by %s: measured %.1f of %.1f s", interruptedBy,
                durationS, timeline.durationNs() / 1e9));
        }
        if (established < settings.connections()) {
            final String why = firstConnectFailure();
            warnings.add(String.format(Locale.ROOT, "only %d of %d %s were established%s", established,
                settings.connections(), settings.udp() ? "sockets" : "connections",
                why == null ? "" : " (first failure: " + why + ")"));
        }
        if (!settings.closedLoop() && achieved < 0.99 * settings.rate() && durationS > 0) {
            warnings.add(String.format(Locale.ROOT, "achieved %.1f msg/s is %.1f%% of the %.1f msg/s target: %s",
                achieved, 100 * achieved / settings.rate(), settings.rate(), ShortfallCause.explain(
                    sent, settings.rate() * durationS, completed, errorCounts, health, settings.pipeline(), chat,
                    sum(LoadCounter.WARMUP_FAILED), reconnects)));
        } else if (!chat && ShortfallCause.isReconnectStorm(reconnects, completed)) {
            warnings.add(ShortfallCause.reconnectStorm(reconnects, completed, errorCounts));
        }
        if (chat && completed < expectedDeliveries) {
            warnings.add(String.format(Locale.ROOT, "%d of %d chat deliveries arrived (%d missing)", completed,
                expectedDeliveries, expectedDeliveries - completed));
        }
        final long late = (drainEndNs - timeline.measureEndNs()) / 1_000_000;
        if (!chat && inFlightAtEnd > 0 && late > 0) {
            warnings.add(inFlightAtEnd + " requests were still in flight " + late + " ms after the window closed");
        }
        final RunInfo info = new RunInfo("bench", settings.describe(), settings.parameters(),
            settings.jsonParameters(), epochMsAtStart);
        return new BenchResult(info, settings.closedLoop(), settings.connections(), established,
            settings.closedLoop() ? 0 : settings.rate(), achieved, sent, completed, inFlightAtEnd, errorCounts,
            sum(LoadCounter.LATE_REPLIES), sum(LoadCounter.UDP_REORDERED), expectedDeliveries,
            sum(LoadCounter.CHAT_OUT_OF_ORDER), durationS, totalCorrected.copy(), totalUncorrected.copy(),
            List.copyOf(intervals), List.copyOf(warnings), health, Map.of(), statusClasses(),
            new ConnectionChurn(reconnects, sum(LoadCounter.CONNECTIONS_OPENED_MEASURED), connectLatency()));
    }

    /** @return connect latency of every connection opened in the window (the threads have stopped) */
    private Histogram connectLatency() {
        final Histogram total = LatencyRecorder.newHistogram();
        for (final LoadDriver driver : drivers) {
            driver.takeConnectLatency(scratchCorrected);
            total.add(scratchCorrected);
        }
        return total;
    }

    /** @return measured replies per status class, or none when no reply had a status */
    private Map<String, Long> statusClasses() {
        final Map<String, Long> classes = new java.util.LinkedHashMap<>();
        final LoadCounter[] counters = {LoadCounter.STATUS_1XX, LoadCounter.STATUS_2XX, LoadCounter.STATUS_3XX,
            LoadCounter.STATUS_4XX, LoadCounter.STATUS_5XX};
        long total = 0;
        for (int i = 0; i < counters.length; i++) {
            final long count = sum(counters[i]);
            classes.put((i + 1) + "xx", count);
            total += count;
        }
        return total == 0 ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(classes));
    }

    private List<Double> dutyCycles(final Timeline timeline) {
        final List<Double> duty = new ArrayList<>();
        final long windowNs = windowEndNs - timeline.measureStartNs();
        if (busyAtWindowStart == null || busyAtWindowEnd == null || windowNs <= 0) {
            return duty;
        }
        for (int i = 0; i < busyAtWindowStart.length; i++) {
            duty.add(Math.min(1.0, (busyAtWindowEnd[i] - busyAtWindowStart[i]) / (double) windowNs));
        }
        return duty;
    }

    private long epochMs(final long nanoTime) {
        return epochMsAtStart + (nanoTime - nanoAtStart) / 1_000_000;
    }

    private long sum(final LoadCounter counter) {
        long total = 0;
        for (final LoadDriver driver : drivers) {
            total += driver.counters().get(counter);
        }
        return total;
    }

    private long errorTotal() {
        long total = 0;
        for (final LoadDriver driver : drivers) {
            total += driver.counters().errorTotal() + driver.counters().get(LoadCounter.WARMUP_FAILED);
        }
        return total;
    }

    private String firstConnectFailure() {
        for (final LoadDriver driver : drivers) {
            if (driver.firstConnectFailure() != null) {
                return driver.firstConnectFailure();
            }
        }
        return null;
    }

    private boolean allSendingDone() {
        for (final LoadDriver driver : drivers) {
            if (!driver.isSendingDone()) {
                return false;
            }
        }
        return true;
    }

    private boolean allFinished() {
        for (final LoadDriver driver : drivers) {
            if (!driver.isFinished()) {
                return false;
            }
        }
        return true;
    }

    private void wakeAll() {
        for (final LoadDriver driver : drivers) {
            driver.wake();
        }
    }

    private void stopThreads() throws InterruptedException {
        control.requestStop();
        wakeAll();
        for (final Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
        for (final LoadDriver driver : drivers) {
            if (!driver.isFinished()) {
                throw new IllegalStateException("a generator thread did not stop within 10 s");
            }
        }
    }

    private ErrorHandler errorHandler(final String name) {
        return throwable -> {
            final int count = printedErrors.incrementAndGet();
            if (count <= MAX_PRINTED_ERRORS) {
                errors.println("ringside bench: " + name + ": " + throwable);
            } else if (count == MAX_PRINTED_ERRORS + 1) {
                errors.println("ringside bench: further internal errors are not printed");
            }
        };
    }
}
