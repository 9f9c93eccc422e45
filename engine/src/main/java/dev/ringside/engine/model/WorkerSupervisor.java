package dev.ringside.engine.model;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.ringside.engine.counter.CounterTotals;
import dev.ringside.engine.counter.CountersFile;

/**
 * The process model: the classic fork-per-connection server's closest honest analogue on a JVM.
 *
 * <p>A JVM cannot {@code fork()}, and starting a JVM per connection would measure JVM start-up rather than a
 * server design. So, like a pre-forking server (Apache's prefork, nginx's workers), the supervisor starts
 * {@code --workers N} real OS processes — child JVMs with this JVM's flags and class path — and each binds
 * the same TCP (and UDP) ports with {@code SO_REUSEPORT}; the kernel spreads new connections across the
 * worker processes, and each worker serves its connections with a thread per connection. Connections in
 * different workers share no memory at all: a crash or a stall in one worker touches only its own clients.
 *
 * <p>Start-up: the first worker binds the requested addresses (port 0 picks a free port), and the others
 * bind the addresses it reports. Counters: the supervisor creates one counters file with a set per worker;
 * each worker writes its own set into it, so {@code ringside stat} on the supervisor's pid shows the sums.
 * A worker that dies is reported, not restarted: the kernel drops its sockets from the port's group and the
 * remaining workers take the new connections. Each worker exits by itself if the supervisor dies.
 *
 * <p>A chat room cannot span processes that share no memory, so chat needs {@code --workers 1}.
 *
 * <p>The same supervisor runs the prefork selector server ({@code server --processes N}): the workers then run
 * a selector loop (or {@code multi}'s loops) each, publish a counters file of their own
 * ({@link OwnWorkerCounters}), and a worker that dies stops the server ({@link WorkerLaunch#stopOnWorkerExit}):
 * {@link #workerLost()} completes, and the command stops the other workers gracefully and exits non-zero.
 * Restarting would hide a crash in the middle of a measurement, and the dead worker's clients lost their
 * connections either way; a benchmark server that runs short-handed is measuring something else.
 */
public final class WorkerSupervisor implements RunningServer {
    /** After a worker's grace period, how long it may take to exit before it is killed. */
    private static final long EXIT_MARGIN_NS = TimeUnit.SECONDS.toNanos(10);

    private final WorkerLaunch launch;
    private final PrintStream errors;
    private final WorkerCounters counters;
    /** Workers whose exit the gauge has counted: the exit watch and the stop both count, whichever is first. */
    private final Set<WorkerProcess> exitCounted = new HashSet<>();
    private final CompletableFuture<String> workerLost = new CompletableFuture<>();
    private final List<WorkerProcess> workers = new ArrayList<>();
    private final List<InetSocketAddress> tcpBound = new ArrayList<>();
    private final List<InetSocketAddress> udpBound = new ArrayList<>();
    private volatile boolean stopping;
    /** Set once every worker listens; a death before that is the start-up failure, reported as such. */
    private volatile boolean ready;
    private boolean closed; // guarded by this

    /**
     * Starts every worker and waits until each listens.
     *
     * @param launch what to start
     * @param out    where workers' other output goes
     * @param errors where worker deaths are reported
     * @throws IOException when a worker cannot be started or exits before listening
     * @throws InterruptedException if interrupted while waiting for workers
     */
    public WorkerSupervisor(final WorkerLaunch launch, final PrintStream out, final PrintStream errors)
        throws IOException, InterruptedException {
        this.launch = launch;
        this.errors = errors;
        final boolean published = launch.countersPath() != null;
        final File countersPath = published ? launch.countersPath() : privateCountersPath();
        this.counters = launch.ownCounters()
            ? new OwnWorkerCounters(countersPath, published, published ? launch.workerCountersDirectory() : null,
                launch.workers())
            : new SharedWorkerCounters(countersPath, published, launch.workers());
        try {
            startWorkers(out);
            ready = true;
        } catch (final IOException | InterruptedException | RuntimeException ex) {
            stopWorkers(0);
            release();
            throw ex;
        }
    }

    /** A file in a fresh {@code 0700} directory: counters files never live directly in the shared /tmp. */
    private static File privateCountersPath() throws IOException {
        final File directory = Files.createTempDirectory("ringside-workers-").toFile();
        // deleteOnExit runs in reverse order of registration: the file first, then its directory.
        directory.deleteOnExit();
        final File file = new File(directory, "workers.counters");
        file.deleteOnExit();
        return file;
    }

    private void startWorkers(final PrintStream out) throws IOException, InterruptedException {
        final long deadlineNs = System.nanoTime() + launch.startTimeoutNs();
        // The first worker resolves port 0; the rest bind what it bound, so all share the same ports.
        final WorkerProcess first = startWorker(0, launch.tcpAddresses(), launch.udpAddresses(), out);
        final List<InetSocketAddress> bound = first.awaitListening(
            launch.tcpAddresses().size(), launch.udpAddresses().size(), deadlineNs);
        counters.onListening(0);
        tcpBound.addAll(bound.subList(0, launch.tcpAddresses().size()));
        udpBound.addAll(bound.subList(launch.tcpAddresses().size(), bound.size()));
        for (int slot = 1; slot < launch.workers(); slot++) {
            startWorker(slot, tcpBound, udpBound, out);
        }
        for (int slot = 1; slot < launch.workers(); slot++) {
            workers.get(slot).awaitListening(tcpBound.size(), udpBound.size(), deadlineNs);
            counters.onListening(slot);
        }
    }

    private WorkerProcess startWorker(final int slot, final List<InetSocketAddress> tcp,
        final List<InetSocketAddress> udp, final PrintStream out) throws IOException {
        final WorkerProcess worker = WorkerProcess.start(slot,
            launch.command(slot, tcp, udp, counters.fileFor(slot)), out);
        workers.add(worker);
        counters.addRunning(1);
        worker.process().onExit().thenRun(() -> onWorkerExit(worker));
        return worker;
    }

    private void onWorkerExit(final WorkerProcess worker) {
        final String lost = countExit(worker);
        // Completed outside the lock: whoever waits for it stops the server, which takes the lock.
        if (lost != null) {
            workerLost.complete(lost);
        }
    }

    // Synchronized with release(): a worker's exit may be noticed after the counters file is unmapped.
    private synchronized String countExit(final WorkerProcess worker) {
        if (closed || !exitCounted.add(worker)) {
            return null;
        }
        counters.addRunning(-1);
        if (!ready || stopping) {
            return null;
        }
        final String what = "worker " + worker.slot() + " (pid " + worker.pid() + ") exited with status "
            + worker.process().exitValue();
        if (launch.stopOnWorkerExit()) {
            return what + "; stopping the server (a prefork server does not run short-handed)";
        }
        errors.println("ringside: " + what + "; the other workers go on serving its port");
        return null;
    }

    /**
     * Completes, with a sentence saying which worker and how, when a worker exits while the server runs and
     * {@link WorkerLaunch#stopOnWorkerExit} is set; never completes otherwise.
     *
     * @return the future
     */
    public CompletableFuture<String> workerLost() {
        return workerLost;
    }

    /** Workers serve from the moment they listen; nothing more to start. */
    @Override
    public void start() {
    }

    /** Sends every worker SIGTERM; each stops accepting, flushes within its grace period, and exits. */
    @Override
    public void shutdown(final long graceNs) throws InterruptedException {
        stopWorkers(graceNs);
    }

    private synchronized void stopWorkers(final long graceNs) throws InterruptedException {
        stopping = true;
        for (final WorkerProcess worker : workers) {
            worker.terminate();
        }
        final long deadlineNs = System.nanoTime() + graceNs + EXIT_MARGIN_NS;
        for (final WorkerProcess worker : workers) {
            worker.awaitExitOrKill(deadlineNs);
            // Counted here too: the exit watch may run after the final counters are read.
            if (!worker.process().isAlive()) {
                countExit(worker);
            }
        }
    }

    /** @return the process ids of the workers, in slot order */
    public List<Long> workerPids() {
        final List<Long> pids = new ArrayList<>();
        for (final WorkerProcess worker : workers) {
            pids.add(worker.pid());
        }
        return pids;
    }

    /**
     * @param slot a worker's number
     * @return the counters that worker writes
     */
    public ModelCounters workerCounters(final int slot) {
        if (!(counters instanceof SharedWorkerCounters)) {
            throw new IllegalStateException("selector workers publish counters files of their own");
        }
        return ((SharedWorkerCounters) counters).worker(slot);
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
        return counters.totals();
    }

    @Override
    public CountersFile countersFile() {
        return counters.published();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        try {
            stopWorkers(0);
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        release();
    }

    private synchronized void release() {
        closed = true;
        counters.close();
    }
}
