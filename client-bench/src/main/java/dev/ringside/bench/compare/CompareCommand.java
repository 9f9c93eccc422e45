package dev.ringside.bench.compare;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import dev.ringside.bench.driver.BenchSettings;
import dev.ringside.bench.driver.Preflight;
import dev.ringside.bench.process.Argv;
import dev.ringside.bench.process.GeneratorFailure;
import dev.ringside.bench.process.OutputPaths;
import dev.ringside.bench.process.RunSignals;
import dev.ringside.bench.sweep.Objectives;
import dev.ringside.bench.sweep.RateSeries;
import dev.ringside.bench.verdict.ExitStatus;
import dev.ringside.engine.config.Units;
import dev.ringside.engine.model.ServerModel;
import dev.ringside.engine.protocol.ProtocolSpec;
import dev.ringside.engine.protocols.Protocols;
import dev.ringside.bench.command.LoadWindow;
import dev.ringside.bench.command.ProtocolChoice;
import dev.ringside.bench.command.ProtocolFlags;
import dev.ringside.bench.command.ServerModelOptions;
import dev.ringside.bench.command.JsonFile;
import dev.ringside.bench.command.ReportFile;
import dev.ringside.bench.command.SloList;
import picocli.CommandLine.Command;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ringside compare}: every server model under the same load, tabulated with what each costs.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
    modelTransformer = CompareCommand.RegistryOptions.class,
    description = {
        "Start each server model as a child process, drive it with the same open-loop load at each connection "
            + "count, and tabulate latency, achieved rate, errors and the server's cost: CPU time per reply, peak "
            + "memory and threads, read from /proc for the server's whole process tree.",
        "Each cell gets a fresh server. A cell a model cannot serve says what happened (connections refused or "
            + "timed out, replies that never came) instead of stopping the comparison.",
        "Writes the table to stdout, progress to stderr, and optionally JSON and an HTML report with charts.",
        "SIGINT/SIGTERM stop it early: the cell under load is left out (with --sweep: the step under way), the "
            + "finished cells (steps) are reported and written, and the exit status is 130/143.",
        "Exit status: 0 complete (cells that fell short are the comparison's findings, not failures); 2 usage "
            + "error; 4 the generator cannot hold the connections; 130/143 interrupted."
    })
public final class CompareCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--models", split = ",", paramLabel = "M,M,...", hideParamSyntax = true,
        description = "models to compare, in table order (default: all: iterative,thread,pool,virtual,process,"
            + "selector,multi)")
    List<String> models;

    // Served by every model; the help lines and each protocol's server and client options come from the registry.
    @Mixin
    ProtocolChoice protocol = new ProtocolChoice();

    // Not bench's -c and -R (LoadOptions), on purpose: compare's -c is a list, one cell per model and count, and
    // compare is always open loop, so its -R has a default where bench's is required unless --closed-loop.
    @Option(names = {"-c", "--connections"}, split = ",", paramLabel = "N,N,...", hideParamSyntax = true,
        description = "connection counts, a cell per model and count (bench's -c takes one) (default: 10,100,1000)")
    List<Integer> connections;

    @Option(names = {"-R", "--rate"}, defaultValue = "20000", paramLabel = "MSG/S",
        description = "total messages per second, open loop, the same at every connection count; unlike bench's "
            + "-R it has a default, compare never runs closed loop (default: ${DEFAULT-VALUE})")
    double rate;

    // --size, --duration, --warmup, --timeout: bench's own options, with bench's defaults.
    @Mixin
    LoadWindow window = new LoadWindow();

    // --threads, --workers, --loops: the server's own options, passed on to each model's server.
    @Mixin
    ServerModelOptions modelSizes = new ServerModelOptions();

    @Option(names = "--ring-capacity", paramLabel = "SIZE",
        description = "every server's --ring-capacity (default: 4k, or more when the protocol's default limits "
            + "need it, e.g. 16k for http; a blocking connection holds two rings for life)")
    String ringCapacity;

    @Option(names = "--generator-threads", defaultValue = "1", paramLabel = "N",
        description = "load generator threads in this process (default: ${DEFAULT-VALUE})")
    int generatorThreads;

    @Option(names = "--java", paramLabel = "PATH",
        description = "java for every server (default: the one running compare); virtual needs 21+, e.g. "
            + "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java")
    String java;

    @Option(names = "--server-cpus", defaultValue = "0", paramLabel = "LIST",
        description = "CPUs for the servers, taskset -c LIST (default: ${DEFAULT-VALUE})")
    String serverCpus;

    @Option(names = "--generator-cpus", paramLabel = "LIST",
        description = "CPUs for the generator's loop threads (default: every CPU but the first)")
    String generatorCpus;

    @Option(names = "--no-pin", description = "do not pin servers and generator to separate CPUs")
    boolean noPin;

    @Mixin
    JsonFile jsonFile = new JsonFile();

    @Mixin
    ReportFile reportFile = new ReportFile();

    @Option(names = "--sweep", paramLabel = "LOW..HIGH|R,R,...",
        description = "instead of one --rate, give every model the same sweep of rates (as 'ringside sweep "
            + "--rates'), and with --slo the highest rate under the objectives per model and connection count")
    String sweep;

    @Option(names = "--steps", paramLabel = "N", description = "--sweep: steps of a range (default: "
        + RateSeries.DEFAULT_STEPS + ")")
    Integer steps;

    @Mixin
    SloList slos = new SloList();

    @Option(names = "--resolution", defaultValue = "2%", paramLabel = "PERCENT",
        description = "--sweep with --slo: the search's resolution (default: ${DEFAULT-VALUE})")
    String resolution;

    @Option(names = "--logs", paramLabel = "DIR",
        description = "where each server's output goes (default: a new temporary directory)")
    Path logs;

    /**
     * Builds and validates the settings from the options.
     *
     * @return the settings
     */
    CompareSettings settings() {
        final List<ServerModel> chosen = new ArrayList<>();
        if (models == null) {
            chosen.addAll(List.of(ServerModel.ITERATIVE, ServerModel.THREAD, ServerModel.POOL, ServerModel.VIRTUAL,
                ServerModel.PROCESS, ServerModel.SELECTOR, ServerModel.MULTI));
        } else {
            for (final String name : models) {
                chosen.add(ServerModel.parse(name));
            }
        }
        int ring = 0;
        if (ringCapacity != null) {
            final long bytes = Units.parseBytes(ringCapacity);
            if (bytes > 1 << 30) {
                throw new IllegalArgumentException("--ring-capacity too large: " + ringCapacity);
            }
            ring = (int) bytes;
        }
        jsonFile.checked();
        reportFile.checked();
        OutputPaths.checkDirectory("--logs", logs);
        final ProtocolSpec compared = Protocols.comparable(protocol.name());
        // Checks every option belongs to this protocol (either side) and parses; then each side gets its own.
        ProtocolFlags.values(spec, compared, Protocols::bothSides);
        final BenchSettings cell = new BenchSettings()
            .protocol(compared, ProtocolFlags.values(spec, compared, ProtocolSpec::clientOptions))
            .rate(rate)
            .size(window.sizeBytes())
            .durationNs(window.durationNs())
            .warmupNs(window.warmupNs())
            .timeoutNs(window.timeoutNs())
            .threads(generatorThreads);
        final CompareSettings settings = new CompareSettings()
            .models(chosen)
            .connections(connections == null ? List.of(10, 100, 1000) : connections)
            .load(ProtocolFlags.given(spec, ProtocolSpec::serverOptions), cell)
            .modelOptions(modelSizes.threads(), modelSizes.workers(), modelSizes.loops())
            .ringCapacityBytes(ring)
            .pinning(!noPin, serverCpus, generatorCpus == null ? CpuPinning.allButFirst() : generatorCpus);
        if (java != null) {
            settings.java(java);
        }
        return settings.validate();
    }

    @Override
    public Integer call() throws Exception {
        final CompareSettings settings = settings();
        int most = 0;
        for (final int count : settings.connections()) {
            most = Math.max(most, count);
        }
        try {
            Preflight.check(settings.bench(new java.net.InetSocketAddress("127.0.0.1", 1), most));
        } catch (final IllegalStateException ex) {
            throw new GeneratorFailure(ex.getMessage());
        }
        if (!ProcessTree.supported()) {
            throw new IllegalStateException("compare reads server CPU, memory and threads from /proc, which this "
                + "system does not have (Linux only)");
        }
        final Path dir = logs != null ? Files.createDirectories(logs) : Files.createTempDirectory("ringside-compare-");
        final PrintStream out = System.out;
        if (sweep != null) {
            return sweep(settings, dir, out);
        }
        final CompareRunner runner = new CompareRunner(settings, dir, System.err);
        // Watched until the results are written: a second Ctrl-C landing after the last cell then finds a
        // target and does nothing, instead of the default handler exiting with the output half written.
        final RunSignals.Watch signals = RunSignals.watch(runner::interrupt);
        try {
            return report(runner.run(Argv.of(spec)), out);
        } finally {
            signals.close();
        }
    }

    private int report(final Comparison comparison, final PrintStream out) throws IOException {
        out.println();
        CompareTable.print(comparison, out);
        write(jsonFile.checked(), CompareJson.toJson(comparison), out, "json");
        write(reportFile.checked(), CompareReport.render(comparison), out, "report");
        final int status = comparison.interruptedBy() == null ? ExitStatus.CLEAN
            : ExitStatus.forSignal(comparison.interruptedBy());
        out.println("verdict: " + (comparison.interruptedBy() == null ? "COMPLETE" : "INTERRUPTED by "
            + comparison.interruptedBy() + ", " + comparison.cells().size() + " cells finished") + " (exit " + status
            + ")");
        out.flush();
        return status;
    }

    private int sweep(final CompareSettings settings, final Path dir, final PrintStream out) throws Exception {
        final List<Double> rates = RateSeries.parse(sweep, steps);
        final Objectives objectives = Objectives.parse(slos.texts());
        final double fraction = RateSeries.resolution(resolution);
        for (final int count : settings.connections()) {
            settings.bench(new java.net.InetSocketAddress("127.0.0.1", 1), count, rates.get(rates.size() - 1));
        }
        final CompareSweep runner = new CompareSweep(settings, rates, objectives, fraction, dir, System.err);
        final RunSignals.Watch signals = RunSignals.watch(runner::interrupt);
        try {
            return report(runner.run(Argv.of(spec)), out);
        } finally {
            signals.close();
        }
    }

    private int report(final SweepComparison comparison, final PrintStream out) throws IOException {
        out.println();
        CompareSweepReport.print(comparison, out);
        write(jsonFile.checked(), CompareSweepReport.toJson(comparison), out, "json");
        write(reportFile.checked(), CompareSweepReport.render(comparison), out, "report");
        out.println(CompareSweepReport.verdictLine(comparison));
        out.flush();
        return CompareSweepReport.exitStatus(comparison);
    }

    private static void write(final Path file, final String text, final PrintStream out, final String what)
        throws IOException {
        if (file != null) {
            Files.writeString(file, text, StandardCharsets.UTF_8);
            out.printf("%-8s%s%n", what, file);
        }
    }

    /** Adds the registry's protocol help and both sides' options to this command before it parses. */
    static final class RegistryOptions implements IModelTransformer {
        @Override
        public CommandSpec transform(final CommandSpec command) {
            return ProtocolFlags.install(command, Protocols.comparable(), Protocols::bothSides);
        }
    }
}
