package dev.ringside.bench.fleet;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.ringside.bench.compare.CpuPinning;
import dev.ringside.bench.compare.ServerChild;
import dev.ringside.bench.driver.BenchSettings;
import dev.ringside.bench.process.RunSignals;
import dev.ringside.bench.process.StartAt;
import dev.ringside.bench.record.BenchResult;
import dev.ringside.bench.record.IntervalListener;
import dev.ringside.bench.record.IntervalLog;
import dev.ringside.bench.record.IntervalSample;
import dev.ringside.bench.record.MergedLogs;
import org.HdrHistogram.Histogram;

/**
 * Runs one benchmark as several {@code ringside bench} child processes: each gets its share of the run
 * ({@link FleetPlan}) and otherwise exactly the parent's settings (rendered by {@link BenchSettings#arguments()};
 * the parent's outputs and verdict stay with it), writes its own interval log, and starts at one shared
 * {@code --start-at} instant. This is the multi-host recipe of {@code docs/scale.md} run on one host: the same
 * start instant, the same logs, the same merge. Unless the caller gave the instant, it is picked once every child
 * has said it is ready ({@code --start-at stdin}, see {@link StartAt}) and written to each child's standard input.
 * While they run, their logs give one progress line; when they have ended, the logs give one result
 * ({@link FleetResult}).
 *
 * <p>A child that fails (exit 4, a usage error, killed by a signal nobody sent through the parent) fails
 * the run and is named with its last line of output; the others are stopped as on Ctrl-C, so that what they
 * measured is kept. SIGINT/SIGTERM to the parent are passed to every child (one signal each: children run in
 * their own session under {@code setsid}, so a terminal's Ctrl-C reaches only the parent); a second signal
 * is passed on too, and makes the children skip their drain.
 */
public final class GeneratorFleet {
    private static final long TICK_MS = 1000;
    private static final long POLL_MS = 20;
    /**
     * How long the children may take to say they are ready before the instant is picked without the slow ones:
     * six JVMs starting on one busy core took 15 s; a child that is still not ready then starts late and says so.
     */
    private static final long READY_TIMEOUT_MS = 60_000;
    /** From the last child's "ready" to the shared instant: each still has to read it and park until it. */
    private static final long READY_LEAD_BASE_MS = 200;
    private static final long READY_LEAD_PER_CHILD_MS = 50;

    private final BenchSettings settings;
    private final List<FleetPlan.Share> shares;
    private final List<String> cpus;
    private final long startAtMs;
    private final Path dir;
    private final List<IntervalListener> listeners;
    private final PrintStream err;
    private final List<GeneratorChild> children = new ArrayList<>();
    private final List<LogTail> tails = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final List<GeneratorChild> judgedChildren = new ArrayList<>();
    private final IntervalSample sample = new IntervalSample();
    private final Histogram interval = sample.corrected();
    private MergedLogs merged;
    private volatile String interruptedBy;
    private volatile int signals;
    private int passedOn;
    private long lastReplies;

    /**
     * Prepares a run.
     *
     * @param settings  the whole run (validated)
     * @param shares    how it is split
     * @param cpus      CPU lists the children are pinned to in turn ({@code taskset -c}); empty for none
     * @param startAtMs the shared start instant, or a negative value to pick one when the children are ready
     * @param dir       where the children's output and interval logs go
     * @param listeners hear the progress summed over the children, once a second
     * @param err       where the parent says what it does
     */
    public GeneratorFleet(final BenchSettings settings, final List<FleetPlan.Share> shares, final List<String> cpus,
        final long startAtMs, final Path dir, final List<IntervalListener> listeners, final PrintStream err) {
        if (settings.broadcast()) {
            throw new IllegalArgumentException("--processes: " + settings.protocol().name() + " measures deliveries "
                + "between the connections of one generator; run it with one process");
        }
        this.settings = settings;
        this.shares = shares;
        this.cpus = cpus;
        this.startAtMs = startAtMs;
        this.dir = dir;
        this.listeners = listeners;
        this.err = err;
    }

    /**
     * @param share a process's share
     * @param hlog  its interval log
     * @param start the shared start instant, ms since the epoch, or a negative value for {@code --start-at stdin}
     * @return its {@code bench} arguments: the parent's, with its share and its own log
     */
    public List<String> childArguments(final FleetPlan.Share share, final Path hlog, final long start) {
        final List<String> list = new ArrayList<>();
        list.add("bench");
        list.addAll(share.of(settings).arguments());
        list.add("--hlog=" + hlog);
        list.add("--start-at=" + (start < 0 ? StartAt.FROM_INPUT : StartAt.format(start)));
        list.add("--no-progress");
        return list;
    }

    /**
     * Runs the children to their end and merges what they measured.
     *
     * @return the merged result
     * @throws IOException          when a child cannot be started or its log cannot be read
     * @throws InterruptedException when interrupted
     */
    public BenchResult run() throws IOException, InterruptedException {
        Files.createDirectories(dir);
        final RunSignals.Watch watch = RunSignals.watch(this::onSignal);
        try {
            for (final FleetPlan.Share share : shares) {
                final Path hlog = dir.resolve("generator-" + (share.index() + 1) + ".hlog");
                final List<String> command = new ArrayList<>();
                if (CpuPinning.onPath("setsid")) {
                    command.add("setsid");
                }
                if (!cpus.isEmpty()) {
                    command.addAll(List.of("taskset", "-c", cpus.get(share.index() % cpus.size())));
                }
                command.addAll(ServerChild.ringsideCommand(ServerChild.currentJava()));
                command.addAll(childArguments(share, hlog, startAtMs));
                final GeneratorChild child = GeneratorChild.start(share.index(), shares.size(), command, dir, hlog);
                children.add(child);
                tails.add(new LogTail(hlog));
                err.println("ringside bench: started " + child.name() + ": " + share.connections() + " connections"
                    + (settings.closedLoop() ? "" : String.format(Locale.ROOT, " at %.1f msg/s", share.rate()))
                    + (share.bind().isEmpty() ? "" : " from " + share.bind().stream()
                        .map(java.net.InetAddress::getHostAddress).collect(java.util.stream.Collectors.joining(",")))
                    + (cpus.isEmpty() ? "" : " on CPU " + cpus.get(share.index() % cpus.size())));
            }
            final long start = startAtMs >= 0 ? startAtMs : startWhenReady();
            err.println("ringside bench: " + shares.size() + " generator processes start together at "
                + java.time.Instant.ofEpochMilli(start) + "; their output and interval logs are in " + dir);
            err.flush();
            watchChildren(start);
            final List<Path> logs = new ArrayList<>();
            for (final GeneratorChild child : children) {
                if (Files.exists(child.hlog())) {
                    logs.add(child.hlog());
                }
            }
            merged = MergedLogs.read(logs);
            final List<String> late = new ArrayList<>();
            for (final GeneratorChild child : children) {
                final String lateness = child.lateStart();
                if (lateness != null) {
                    late.add(child.name() + " " + lateness);
                }
            }
            return FleetResult.of(settings, shares, merged, start, failures, interruptedBy, late);
        } finally {
            watch.close();
            for (final GeneratorChild child : children) {
                child.close();
            }
        }
    }

    /**
     * Waits until every running child has said it is ready (bounded by {@link #READY_TIMEOUT_MS} and by a signal),
     * then picks the shared instant a little ahead and tells it to every child.
     */
    private long startWhenReady() throws InterruptedException {
        final long sinceMs = System.currentTimeMillis();
        final long deadlineNs = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(
            READY_TIMEOUT_MS);
        while (System.nanoTime() - deadlineNs < 0 && signals == 0) {
            boolean waiting = false;
            for (final GeneratorChild child : children) {
                if (child.alive() && !child.ready()) {
                    waiting = true;
                    break;
                }
            }
            if (!waiting) {
                break;
            }
            // A child that exits here is judged by the watch that follows; its sleep here is one poll at most.
            for (final GeneratorChild child : children) {
                if (child.alive() && !child.ready()) {
                    child.waitFor(POLL_MS);
                    break;
                }
            }
        }
        int ready = 0;
        for (final GeneratorChild child : children) {
            ready += child.ready() ? 1 : 0;
        }
        final long start = System.currentTimeMillis() + READY_LEAD_BASE_MS + READY_LEAD_PER_CHILD_MS * shares.size();
        err.printf(Locale.ROOT, "ringside bench: %d of %d generator processes ready %.1f s after they were started%s%n",
            ready, children.size(), (System.currentTimeMillis() - sinceMs) / 1000.0,
            ready == children.size() ? "" : "; the others start when they are, late");
        for (final GeneratorChild child : children) {
            child.tell(start);
        }
        return start;
    }

    /** @return the pids of the children started so far */
    public List<Long> childPids() {
        final List<Long> pids = new ArrayList<>();
        for (final GeneratorChild child : children) {
            pids.add(child.pid());
        }
        return pids;
    }

    /** @return the children's interval logs merged, once {@link #run()} has returned */
    public MergedLogs merged() {
        return merged;
    }

    private void onSignal(final String signal) {
        if (interruptedBy == null) {
            interruptedBy = signal;
        }
        signals++;
    }

    private void watchChildren(final long start) throws IOException, InterruptedException {
        long nextTickMs = start + TICK_MS;
        long lastTickMs = start;
        while (true) {
            passSignalsOn();
            boolean anyAlive = false;
            for (final GeneratorChild child : children) {
                if (child.alive()) {
                    anyAlive = true;
                } else if (!judged(child)) {
                    judge(child);
                }
            }
            final long nowMs = System.currentTimeMillis();
            if (nowMs >= nextTickMs || !anyAlive) {
                tick(lastTickMs, nowMs, start);
                lastTickMs = nowMs;
                nextTickMs = Math.max(nextTickMs + TICK_MS, nowMs + 1);
            }
            if (!anyAlive) {
                return;
            }
            // Wait on a running child: returns at once when it exits, so an exit is judged within a poll.
            for (final GeneratorChild child : children) {
                if (child.alive()) {
                    child.waitFor(Math.max(1, Math.min(POLL_MS, nextTickMs - nowMs)));
                    break;
                }
            }
        }
    }

    private boolean judged(final GeneratorChild child) {
        return judgedChildren.contains(child);
    }

    private void judge(final GeneratorChild child) {
        judgedChildren.add(child);
        final String failure = child.failure(passedOn > 0);
        if (failure == null) {
            return;
        }
        failures.add(failure);
        err.println("ringside bench: " + failure + "; stopping the other generators (they keep what they measured)");
        err.flush();
        if (passedOn == 0) {
            passedOn = 1;
            for (final GeneratorChild other : children) {
                if (other.alive()) {
                    other.interrupt();
                }
            }
        }
    }

    private void passSignalsOn() {
        final int received = Math.min(signals, 2);
        while (passedOn < received) {
            passedOn++;
            for (final GeneratorChild child : children) {
                if (child.alive()) {
                    child.interrupt();
                }
            }
        }
    }

    private void tick(final long lastTickMs, final long nowMs, final long start) throws IOException {
        interval.reset();
        IntervalSample.Phase phase = IntervalSample.Phase.DRAINING;
        long open = 0;
        long resolved = 0;
        long replies = 0;
        long errors = 0;
        boolean any = false;
        for (final LogTail tail : tails) {
            tail.poll(interval);
            final IntervalLog.Progress progress = tail.progress();
            if (progress == null) {
                phase = IntervalSample.Phase.CONNECTING;
                continue;
            }
            any = true;
            phase = progress.phase().ordinal() < phase.ordinal() ? progress.phase() : phase;
            open += progress.connectionsOpen();
            resolved += progress.connectsResolved();
            replies += progress.replies();
            errors += progress.errors();
        }
        if (!any || listeners.isEmpty()) {
            return; // nothing to show before the first child has reported (the start instant is ahead)
        }
        final long completed = replies - lastReplies;
        lastReplies = replies;
        sample.set(phase, (nowMs - start) / 1000.0, (nowMs - lastTickMs) / 1000.0, lastTickMs, nowMs, completed, open,
            settings.connections(), resolved, errors);
        for (final IntervalListener listener : listeners) {
            listener.onInterval(sample);
        }
    }

    /**
     * @param text a CPU list as {@code --cpus} takes it: {@code 1,2,3} or {@code 1-3}
     * @return one entry per CPU, in order: the children are pinned to them in turn
     */
    public static List<String> cpuList(final String text) {
        final List<String> list = new ArrayList<>();
        if (text == null) {
            return list;
        }
        for (final String part : text.split(",")) {
            final String item = part.trim();
            final int dash = item.indexOf('-');
            try {
                if (dash < 0) {
                    list.add(Integer.toString(Integer.parseInt(item)));
                } else {
                    final int from = Integer.parseInt(item.substring(0, dash));
                    final int to = Integer.parseInt(item.substring(dash + 1));
                    if (to < from || from < 0) {
                        throw new NumberFormatException();
                    }
                    for (int cpu = from; cpu <= to; cpu++) {
                        list.add(Integer.toString(cpu));
                    }
                }
            } catch (final NumberFormatException ex) {
                throw new IllegalArgumentException("bad --cpus '" + text + "': give CPUs such as 1,2 or 1-3");
            }
        }
        return list;
    }
}
