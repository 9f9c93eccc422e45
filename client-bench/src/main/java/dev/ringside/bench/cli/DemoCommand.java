package dev.ringside.bench.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import dev.ringside.bench.compare.CpuPinning;
import dev.ringside.bench.compare.ServerChild;
import dev.ringside.bench.compare.ServerLaunch;
import dev.ringside.bench.driver.BenchSettings;
import dev.ringside.bench.process.Argv;
import dev.ringside.bench.process.OutputPaths;
import dev.ringside.bench.record.BenchResult;
import dev.ringside.bench.record.IntervalListener;
import dev.ringside.bench.verdict.ExitStatus;
import dev.ringside.engine.config.LoopConfig;
import dev.ringside.engine.config.Units;
import dev.ringside.engine.protocol.echo.Echo;
import dev.ringside.engine.server.Server;
import dev.ringside.engine.model.ServerSettings;
import dev.ringside.bench.command.ProgressSwitch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ringside demo}: the first thing to run. Starts an echo server (a child JVM pinned to CPU 0 when
 * {@code taskset} exists, or in this process with {@code --in-process}), drives it from this process with
 * thousands of TCP connections at a fixed open-loop rate, prints the full report, writes JSON, HTML and the
 * interval log to a temporary directory, and stops the server. Loopback only, bounded in time.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Start an echo server and drive it with thousands of connections; print the latency report.",
        "Loopback only; takes about 20 seconds with the defaults. Ctrl-C stops it early and still reports.",
        "Past what one process may open (--connections 100000): a prefork server (server --processes) and "
            + "bench --processes auto, reporting the time to establish and memory per connection on both sides."
    },
    footer = {"", ExitStatus.HELP})
public class DemoCommand implements Callable<Integer> {
    @Option(names = {"-c", "--connections"}, defaultValue = "2000", paramLabel = "N",
        description = "TCP connections (default: ${DEFAULT-VALUE})")
    int connections;

    @Option(names = {"-R", "--rate"}, defaultValue = "20000", paramLabel = "MSG/S",
        description = "total messages per second, open loop (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--size", defaultValue = "64", paramLabel = "BYTES",
        description = "echo payload size (default: ${DEFAULT-VALUE})")
    int size;

    @Option(names = {"-d", "--duration"}, defaultValue = "10s", paramLabel = "DURATION",
        description = "measurement length (default: ${DEFAULT-VALUE})")
    String duration;

    @Option(names = "--warmup", defaultValue = "3s", paramLabel = "DURATION",
        description = "warm-up, discarded (default: ${DEFAULT-VALUE})")
    String warmup;

    @Option(names = "--processes", defaultValue = "0", paramLabel = "N",
        description = "a prefork server of N workers and N generator processes, even for connections one process "
            + "could hold (default: as many as the connections need at the open-files limit)")
    int processes;

    @Option(names = "--in-process", description = "run the server in this JVM on its own loop thread instead of a "
        + "child process")
    boolean inProcess;

    @Option(names = "--no-pin", description = "do not pin the server and the generator to separate CPUs")
    boolean noPin;

    @Option(names = "--out", paramLabel = "DIR", description = "where to write report files (default: a new "
        + "temporary directory)")
    Path outDir;

    @Mixin
    ProgressSwitch progress = new ProgressSwitch();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        final PrintStream out = System.out;
        OutputPaths.checkDirectory("--out", outDir);
        final Path dir = outDir != null ? Files.createDirectories(outDir) : Files.createTempDirectory("ringside-demo-");
        if (processes < 0 || processes > connections) {
            throw new IllegalArgumentException("--processes must be 0 (the default: as many as the connections "
                + "need) or between 1 and --connections (" + connections + "), got " + processes);
        }
        if (ProcessesDemo.needed(connections) || processes > 1) {
            // More connections than one process may open: a prefork server and generator processes.
            return new ProcessesDemo(this, out, dir).run();
        }
        final BenchSettings probe = settings(new InetSocketAddress("127.0.0.1", 1));
        BenchCommand.preflight(probe);
        if (inProcess) {
            return runInProcess(out, dir);
        }
        return runWithChild(out, dir);
    }

    /**
     * @param target the server
     * @return the demo's load on it, validated
     */
    BenchSettings settings(final InetSocketAddress target) {
        return new BenchSettings()
            .target(target)
            .protocol(Echo.SPEC)
            .connections(connections)
            .rate(rate)
            .size(size)
            .durationNs(Units.parseDurationNs(duration))
            .warmupNs(Units.parseDurationNs(warmup))
            .connectRate(5_000)
            .validate();
    }

    private int runInProcess(final PrintStream out, final Path dir) throws Exception {
        final ServerSettings serverSettings = new ServerSettings()
            .protocol(Echo.SPEC)
            .loopConfig(new LoopConfig().ringCapacityBytes(16 * 1024).poolRings(4096))
            .publishCounters(false)
            .tcp(new InetSocketAddress("127.0.0.1", 0));
        try (Server server = new Server(serverSettings, System.err)) {
            server.start();
            final InetSocketAddress address = server.tcpAddresses().get(0);
            out.println("ringside demo: echo server in this process on its own loop thread, tcp "
                + Units.format(address) + " (no CPU pinning: server and generator share the machine's cores)");
            final int status = drive(out, dir, address, false);
            server.shutdown(TimeUnit.SECONDS.toNanos(1));
            out.println();
            out.println("server counters:");
            out.print(server.totals().format(true));
            return status;
        }
    }

    private int runWithChild(final PrintStream out, final Path dir) throws Exception {
        final boolean pin = !noPin && CpuPinning.available();
        final List<String> command = ServerLaunch.of("echo", "1s").command(ServerChild.currentJava(),
            pin ? "0" : null);
        final Path serverLog = dir.resolve("server.log");
        final ServerChild child;
        try {
            child = ServerChild.start(command, serverLog);
        } catch (final IOException ex) {
            throw new IllegalStateException("the echo server child did not start: " + ex.getMessage()
                + " (see " + serverLog + ")", ex);
        }
        try {
            out.println("ringside demo: echo server started as a child process, pid " + child.pid()
                + (pin ? ", pinned to CPU 0 (taskset -c 0)" : noPin ? ", not pinned (--no-pin)"
                    : ", not pinned (no taskset or a single CPU)")
                + ", tcp " + Units.format(child.address()));
            if (pin) {
                out.println("ringside demo: the generator's loop thread will be pinned to CPU "
                    + CpuPinning.allButFirst() + " once it runs; its reporting, JIT and GC threads float, so that "
                    + "they do not preempt it");
            }
            return drive(out, dir, child.address(), pin);
        } finally {
            stopChild(child, out);
        }
    }

    private int drive(final PrintStream out, final Path dir, final InetSocketAddress address, final boolean pin)
        throws IOException, InterruptedException {
        final BenchSettings settings = settings(address);
        out.println("ringside demo: " + settings.describe());
        out.println("ringside demo: this runs ringside bench " + String.join(" ", settings.arguments()));
        out.println();
        out.flush();
        final Path json = dir.resolve("demo.json");
        final Path hlog = dir.resolve("demo.hlog");
        final Path html = dir.resolve("demo.html");
        final List<IntervalListener> pinning = new ArrayList<>();
        if (pin) {
            final boolean[] pinned = new boolean[1];
            // The first interval ends a second after the generator threads started: pin them then.
            pinning.add(sample -> {
                if (!pinned[0]) {
                    pinned[0] = true;
                    final int count = CpuPinning.pinGeneratorThreads(CpuPinning.allButFirst());
                    System.err.println("ringside demo: " + (count > 0 ? "pinned " + count
                        + " generator loop thread(s) to CPU " + CpuPinning.allButFirst()
                        : "could not pin the generator loop thread; running unpinned"));
                }
            });
        }
        final BenchCommand.Finished finished = BenchCommand.run(settings, new BenchCommand.Outputs(json, hlog, html,
            false, progress.shown(), List.of(), false, Argv.of(spec)), out, System.err, pinning);
        final BenchResult result = finished.result();
        out.println();
        out.printf(Locale.ROOT, "ringside demo: %d connections, %.0f msg/s, p99 %.1f us corrected / %.1f us "
            + "uncorrected, %d errors. Open %s in a browser for the charts.%n", result.connectionsEstablished(),
            result.achievedRate(), result.corrected().getValueAtPercentile(99) / 1000.0,
            result.uncorrected().getValueAtPercentile(99) / 1000.0, result.errorTotal(), html);
        return finished.verdict().exitCode();
    }


    private static void stopChild(final ServerChild child, final PrintStream out) {
        final String outcome = child.stop();
        if (outcome.startsWith("had already exited")) {
            out.println("ringside demo: the server child (pid " + child.pid() + ") " + outcome + "; see "
                + child.log());
            return;
        }
        if (!"stopped".equals(outcome)) {
            out.println("ringside demo: the server child (pid " + child.pid() + ") " + outcome);
            return;
        }
        out.println("ringside demo: stopped the server child (pid " + child.pid() + "); from its counters ("
            + child.log() + "):");
        boolean counters = false;
        for (final String line : child.logLines()) {
            if (line.startsWith("final counters")) {
                counters = true;
                continue;
            }
            if (counters && !line.contains("datagram") && (line.contains("accepted") || line.contains("messages")
                || line.contains("bytes") || line.contains("closed, "))) {
                out.println(line);
            }
        }
    }
}
