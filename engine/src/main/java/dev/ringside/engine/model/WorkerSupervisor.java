package dev.ringside.engine.model;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
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
 */
public final class WorkerSupervisor implements RunningServer {
    /** After a worker's grace period, how long it may take to exit before it is killed. */
    private static final long EXIT_MARGIN_NS = TimeUnit.SECONDS.toNanos(10);

    private final WorkerLaunch launch;
    private final PrintStream errors;
    private final CounterStore store;
    private final boolean published;
    private final ModelCounters supervisorCounters;
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
        this.published = launch.countersPath() != null;
        final File countersPath = published ? launch.countersPath() : privateCountersPath();
        this.store = CounterStore.publish(countersPath, launch.workers() + 1);
        try {
            this.supervisorCounters = store.allocate("supervisor");
            for (int slot = 0; slot < launch.workers(); slot++) {
                store.allocate("worker-" + slot);
            }
            startWorkers(countersPath, out);
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

    private void startWorkers(final File countersPath, final PrintStream out)
        throws IOException, InterruptedException {
        final long deadlineNs = System.nanoTime() + launch.startTimeoutNs();
        // The first worker resolves port 0; the rest bind what it bound, so all share the same ports.
        final WorkerProcess first = startWorker(0, launch.tcpAddresses(), launch.udpAddresses(), countersPath, out);
        final List<InetSocketAddress> bound = first.awaitListening(
            launch.tcpAddresses().size(), launch.udpAddresses().size(), deadlineNs);
        tcpBound.addAll(bound.subList(0, launch.tcpAddresses().size()));
        udpBound.addAll(bound.subList(launch.tcpAddresses().size(), bound.size()));
        for (int slot = 1; slot < launch.workers(); slot++) {
            startWorker(slot, tcpBound, udpBound, countersPath, out);
        }
        for (int slot = 1; slot < launch.workers(); slot++) {
            workers.get(slot).awaitListening(tcpBound.size(), udpBound.size(), deadlineNs);
        }
    }

    private WorkerProcess startWorker(final int slot, final List<InetSocketAddress> tcp,
        final List<InetSocketAddress> udp, final File countersPath, final PrintStream out) throws IOException {
        final WorkerProcess worker = WorkerProcess.start(slot, launch.command(slot, tcp, udp, countersPath), out);
        workers.add(worker);
        supervisorCounters.add(ModelCounter.WORKER_PROCESSES, 1);
        worker.process().onExit().thenRun(() -> onWorkerExit(worker));
        return worker;
    }

    // Synchronized with release(): a worker's exit may be noticed after the counters file is unmapped.
    private synchronized void onWorkerExit(final WorkerProcess worker) {
        if (closed) {
            return;
        }
        supervisorCounters.add(ModelCounter.WORKER_PROCESSES, -1);
        if (ready && !stopping) {
            errors.println("ringside: worker " + worker.slot() + " (pid " + worker.pid() + ") exited with status "
                + worker.process().exitValue() + "; the other workers go on serving its port");
        }
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
        return store.find("worker-" + slot);
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
        return published ? store.file() : null;
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
        store.close();
    }
}
