package dev.ringside.bench.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import dev.ringside.bench.compare.CpuPinning;
import dev.ringside.bench.compare.ServerChild;
import dev.ringside.bench.compare.ServerLaunch;
import dev.ringside.bench.driver.BenchSettings;
import dev.ringside.bench.driver.Preflight;
import dev.ringside.bench.fleet.FleetPlan;
import dev.ringside.bench.fleet.GeneratorFleet;
import dev.ringside.bench.process.ProcessMemory;
import dev.ringside.bench.record.BenchResult;
import dev.ringside.bench.record.IntervalListener;
import dev.ringside.bench.record.IntervalSample;
import dev.ringside.bench.report.ProgressLine;
import dev.ringside.engine.config.Units;

/**
 * The demo past one process ({@code demo --connections 100000}): a prefork echo server
 * ({@code server --processes S}, enough workers for the connections at the open-files limit, with headroom
 * for the kernel's uneven {@code SO_REUSEPORT} spread) and {@code bench --processes auto}, both on this box,
 * server on CPU 0 and generators on the rest. {@code --processes N} asks for at least N processes on each side,
 * so that this path also runs at a few hundred connections (its test does). Once every connection is open it
 * takes each process's resident set and live heap ({@code jcmd}) and the kernel's slab and TCP buffer memory
 * against a baseline taken before the server started, and reports them per connection beside the time to
 * establish.
 */
final class ProcessesDemo {
    /** Server workers get this much more room than an even split needs: the kernel's hash spread is not even. */
    private static final double SERVER_HEADROOM = 1.15;
    /**
     * Connections opened per second, in total: 100,000 take 10 s. Each child's first connections take ports the
     * generator picks (driver/SourcePorts), so a connect costs the same at the last connection as at the first, and
     * the server's six accept queues (4,096 each) drain faster than this fills them.
     */
    private static final int CONNECT_RATE = 10_000;
    /** How long the report waits for the live-heap readings (a {@code jcmd} JVM per process) after the run. */
    private static final long MEASURE_WAIT_MS = 60_000;

    private final DemoCommand demo;
    private final PrintStream out;
    private final Path dir;
    private long establishedAfterMs = -1;
    private final List<Long> serverPids = new ArrayList<>();
    private final List<ProcessMemory> serverMemory = new ArrayList<>();
    private final List<ProcessMemory> generatorMemory = new ArrayList<>();
    private long kernelBytes = -1;
    private long openWhenMeasured;
    private Thread measuring;

    ProcessesDemo(final DemoCommand demo, final PrintStream out, final Path dir) {
        this.demo = demo;
        this.out = out;
        this.dir = dir;
    }

    /** @return whether this many connections need more than one process on this machine */
    static boolean needed(final int connections) {
        return connections > Preflight.connectionsPerProcess(1);
    }

    int run() throws Exception {
        final int perProcess = Preflight.connectionsPerProcess(1);
        // --processes N asks for at least N on each side; fewer than the descriptors need is never used.
        final int serverProcesses = Math.max(demo.processes, (int) Math.ceil(demo.connections * SERVER_HEADROOM
            / perProcess));
        final int generatorProcesses = Math.max(demo.processes, FleetPlan.processes("auto", demo.connections,
            perProcess));
        final boolean pin = !demo.noPin && CpuPinning.available();
        final long kernelBefore = ProcessMemory.kernelSocketBytes();
        final List<String> command = ServerLaunch.of("echo", "2s").processes(serverProcesses)
            .command(ServerChild.currentJava(), pin ? "0" : null);
        final ServerChild server = ServerChild.start(command, dir.resolve("server.log"));
        try {
            server.process().toHandle().descendants().forEach(worker -> serverPids.add(worker.pid()));
            out.println("ringside demo: prefork echo server, pid " + server.pid() + ", " + serverProcesses
                + " worker processes (pids " + serverPids + ")" + (pin ? " on CPU 0" : "") + ", tcp "
                + Units.format(server.address()));
            // The demo's load, with the room 100,000 connections need on a busy box.
            final BenchSettings settings = demo.settings(server.address()).timeoutNs(TimeUnit.SECONDS.toNanos(5))
                .connectTimeoutNs(TimeUnit.SECONDS.toNanos(10)).connectRate(CONNECT_RATE).validate();
            out.println("ringside demo: this runs ringside bench " + String.join(" ", settings.arguments())
                + " --processes " + generatorProcesses + (pin ? " --cpus " + CpuPinning.allButFirst() : ""));
            out.flush();
            final int status = drive(settings, generatorProcesses, kernelBefore, pin);
            final String stopped = server.stop();
            out.println("stopped".equals(stopped) ? "ringside demo: stopped the server (pid " + server.pid()
                + ") and its workers" : "ringside demo: the server (pid " + server.pid() + ") " + stopped);
            return status;
        } finally {
            server.stop();
        }
    }

    private int drive(final BenchSettings settings, final int processes, final long kernelBefore, final boolean pin)
        throws Exception {
        final List<FleetPlan.Share> shares = FleetPlan.split(settings, processes, Preflight.portsPerSource());
        final ProgressLine progress = demo.progress.shown() ? new ProgressLine(System.err, ProgressLine.isTerminal())
            : null;
        final GeneratorFleet[] fleet = new GeneratorFleet[1];
        final List<IntervalListener> listeners = new ArrayList<>();
        if (progress != null) {
            listeners.add(progress);
        }
        listeners.add(sample -> onInterval(sample, fleet[0], kernelBefore));
        fleet[0] = new GeneratorFleet(settings, shares, pin ? GeneratorFleet.cpuList(CpuPinning.allButFirst())
            : List.of(), -1, dir.resolve("generators"), listeners, System.err);
        final BenchResult result;
        try {
            result = fleet[0].run();
        } finally {
            if (progress != null) {
                progress.close();
            }
        }
        final Path hlog = dir.resolve("demo.hlog");
        BenchCommand.writeMergedLog(hlog, fleet[0].merged(), result);
        final BenchCommand.Finished finished = BenchCommand.report(result, new BenchCommand.Outputs(
            dir.resolve("demo.json"), hlog, dir.resolve("demo.html"), false, false, List.of(), false,
            dev.ringside.bench.process.Argv.of(demo.spec)), out);
        printMemory(result);
        return finished.verdict().exitCode();
    }

    /**
     * At the first interval with every connection open: how long that took, and, on a thread of its own, what
     * they hold. Resident sets and the kernel's figure are read at once, at the same instant; the live heaps
     * take a {@code jcmd} per process (a JVM start each), run side by side, so that on a small machine they are
     * done before the generators end (read one after another, at 100,000 connections, the generators had
     * exited before their turn came).
     */
    private void onInterval(final IntervalSample sample, final GeneratorFleet fleet, final long kernelBefore) {
        if (establishedAfterMs >= 0 || sample.connectionsOpen() < sample.connectionsRequested()) {
            return;
        }
        establishedAfterMs = Math.round(sample.elapsedS() * 1000);
        openWhenMeasured = sample.connectionsOpen();
        final long kernelNow = ProcessMemory.kernelSocketBytes();
        kernelBytes = kernelBefore < 0 || kernelNow < 0 ? 0 : kernelNow - kernelBefore;
        final List<Long> generatorPids = fleet.childPids();
        final long[] serverRss = rss(serverPids);
        final long[] generatorRss = rss(generatorPids);
        measuring = new Thread(() -> {
            final List<Long> serverHeap = ProcessMemory.liveHeapBytes(serverPids);
            final List<Long> generatorHeap = ProcessMemory.liveHeapBytes(generatorPids);
            for (int i = 0; i < serverRss.length; i++) {
                serverMemory.add(new ProcessMemory(serverRss[i], serverHeap.get(i)));
            }
            for (int i = 0; i < generatorRss.length; i++) {
                generatorMemory.add(new ProcessMemory(generatorRss[i], generatorHeap.get(i)));
            }
        }, "ringside-demo-memory");
        measuring.setDaemon(true);
        measuring.start();
    }

    private static long[] rss(final List<Long> pids) {
        final long[] rss = new long[pids.size()];
        for (int i = 0; i < rss.length; i++) {
            rss[i] = ProcessMemory.rssBytes(pids.get(i));
        }
        return rss;
    }

    private void printMemory(final BenchResult result) throws InterruptedException {
        if (measuring != null) {
            measuring.join(MEASURE_WAIT_MS);
        }
        out.println();
        out.printf(Locale.ROOT, "ringside demo: %,d connections established of %,d, %,d errors; every connection "
            + "open %s after the start instant (1 s resolution)%n", result.connectionsEstablished(),
            result.connectionsRequested(), result.errorTotal(),
            establishedAfterMs < 0 ? "never" : String.format(Locale.ROOT, "%.0f s", establishedAfterMs / 1000.0));
        if (serverMemory.isEmpty()) {
            out.println("ringside demo: memory was not measured (" + (measuring == null ? "no interval had every "
                + "connection open" : "jcmd did not answer within " + MEASURE_WAIT_MS / 1000 + " s") + ")");
            return;
        }
        line("server", serverMemory);
        line("generator", generatorMemory);
        out.printf(Locale.ROOT, "ringside demo: kernel       %,d KB more slab + TCP buffer memory than before the "
            + "server started: %,.0f B per connection (both ends, machine-wide)%n", kernelBytes / 1024,
            kernelBytes / (double) openWhenMeasured);
    }

    private void line(final String side, final List<ProcessMemory> memory) {
        long rss = 0;
        long heap = 0;
        int unread = 0;
        for (final ProcessMemory one : memory) {
            rss += Math.max(0, one.rssBytes());
            heap += Math.max(0, one.heapUsedBytes());
            unread += one.rssBytes() < 0 || one.heapUsedBytes() < 0 ? 1 : 0;
        }
        out.printf(Locale.ROOT, "ringside demo: %-10s   %d processes, RSS %,d MB (%,.0f B per connection), live heap "
            + "%,d MB (%,.0f B per connection)%s%n", side, memory.size(), rss >> 20, rss / (double) openWhenMeasured,
            heap >> 20, heap / (double) openWhenMeasured,
            unread == 0 ? "" : "; not read for " + unread + " of them (ended first, or jcmd failed): a lower bound");
    }
}
