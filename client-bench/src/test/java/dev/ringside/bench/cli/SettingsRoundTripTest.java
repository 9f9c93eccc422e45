package dev.ringside.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.ringside.bench.driver.BenchSettings;
import dev.ringside.bench.fleet.FleetPlan;
import dev.ringside.bench.fleet.GeneratorFleet;
import dev.ringside.bench.process.CommandArguments;
import dev.ringside.bench.command.CommandLauncher;
import dev.ringside.engine.protocol.ProtocolOption;
import dev.ringside.engine.protocol.ProtocolSpec;
import dev.ringside.engine.protocols.Protocols;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Settings that travel, at two levels. The run's value: bench's {@link BenchSettings} rendered by
 * {@link BenchSettings#arguments()} and parsed again are equal, for TCP, UDP, open and closed loop; a fleet child's
 * command line parses to the parent's settings with its share; the demo's and a sweep step's load render as the
 * bench command that runs them (compare's cells and server children: {@code compare/ServerLaunchTest}). And every
 * command's options: parsed, rendered back to arguments ({@link CommandArguments}, what the process model's
 * workers get) and parsed again have identical values, the registry's protocol options included. Catches a
 * renderer that drops a repeated value (only the first {@code --header}), renders a flag with a value, splits a
 * value holding spaces, or lets a value starting with {@code -} be read as an option (each tried once).
 *
 * <p>Every command has a sample in {@link #EVERY_COMMAND} that gives each of its own options a value other than
 * its default: a command without a sample, an option without a value there (a new one), or an option the sample
 * names but the command no longer has (dropped or renamed: picocli refuses the sample) fails, and each sample
 * must survive parse, render and parse. The registry's protocol options are generated for every command alike
 * and are exempt, so adding a protocol needs no line here; the bench sample covers how they travel.
 */
class SettingsRoundTripTest {
    private static final String[] BENCH = {"bench", "--target", "127.0.0.1:5000", "--protocol", "http",
        "--path", "/a?b=c",
        "--method", "POST", "--header", "A: 1", "--header", "B: two words", "--body=-1 dash, = and spaces",
        "-c", "7", "-R", "123.5", "--pipeline", "2", "--duration", "3s", "--warmup", "0", "--threads", "2",
        "--bind", "127.0.0.2-127.0.0.4", "--idle", "spin", "--timeout", "750ms", "--ramp", "2s",
        "--slo", "p99=2ms", "--slo", "errors=0", "--allow-errors", "--no-progress", "--processes", "auto",
        "--cpus", "0-1", "--start-at", "1796306400.250", "--json", "/tmp/x.json"};

    private static final String IDENTITY = "\\[Z@[0-9a-f]+";

    /** One command line per command, every option of its own given a value that is not its default. */
    private static final Map<String, List<String>> EVERY_COMMAND = Map.of(
        "server", List.of("server", "--protocol", "chat", "--max-line", "512", "--tcp", "127.0.0.1:0", "--tcp",
            "127.0.0.2:7", "--udp", "127.0.0.1:9", "--idle", "spin", "--ring-capacity", "16k", "--pool-size", "32m",
            "--udp-receive-buffer", "4m", "--max-connections", "99", "--idle-timeout", "30s", "--frame-timeout", "3s",
            "--write-timeout", "4s", "--model", "pool", "--threads", "3", "--workers", "2", "--loops", "2",
            "--processes", "2", "--grace", "500ms", "--no-counters-file", "--worker-slot", "1", "--worker-counters",
            "/tmp/w dir/worker.counters", "--worker-of", "4242"),
        "stat", List.of("stat", "--once", "--interval", "250ms", "--json", "--dir", "/tmp/c dir", "4242"),
        "bench", List.of("bench", "--target", "127.0.0.1:5000", "--protocol", "http", "--path", "/a", "--udp", "-c",
            "7", "--pipeline", "2", "--size", "100", "-d", "3s", "--warmup", "0", "-t", "2", "--ramp", "2s",
            "--connect-rate", "300", "--connect-timeout", "1s", "--timeout", "750ms", "--bind", "127.0.0.2-127.0.0.4",
            "--no-reconnect", "--requests-per-connection", "3", "--idle", "spin", "-R", "123.5", "--closed-loop",
            "--json", "/tmp/x.json", "--hlog", "x.hlog", "--report", "x dir/x.html", "--latency-distribution",
            "--no-progress", "--slo", "p99=2ms", "--slo", "errors=0", "--allow-errors", "--processes", "auto",
            "--start-at", "1796306400.250", "--cpus", "0-1"),
        "sweep", List.of("sweep", "--target", "127.0.0.1:5000", "--protocol", "raw", "--message", "PING\\r\\n", "--udp",
            "-c", "5", "--pipeline", "3", "--size", "256", "-d", "2s", "--warmup", "1s", "-t", "2", "--ramp", "1s",
            "--connect-rate", "500", "--connect-timeout", "1s", "--timeout", "300ms", "--bind", "127.0.0.2",
            "--no-reconnect", "--requests-per-connection", "4", "--idle", "backoff", "--rates", "1k..9k", "--steps",
            "4", "--resolution", "5%", "--slo", "p99=1ms", "--slo", "errors=0", "--json", "s.json", "--report",
            "s.html", "--no-progress"),
        "compare", List.of("compare", "--models", "pool,selector", "--protocol", "http", "--max-header", "4096",
            "--path", "/x", "-c", "5,50", "-R", "777", "-d", "3s", "--warmup", "1s", "--size", "100", "--timeout",
            "1s", "--threads", "3", "--workers", "2", "--loops", "3", "--ring-capacity", "8k", "--generator-threads",
            "2", "--java", "/opt/jdk dir/bin/java", "--server-cpus", "1", "--generator-cpus", "0,1", "--no-pin",
            "--json", "c.json", "--report", "c.html", "--sweep", "1k..5k", "--steps", "3", "--slo", "p99=2ms",
            "--resolution", "10%", "--logs", "/tmp/logs"),
        "demo", List.of("demo", "--connections", "300", "-R", "1500.5", "--size", "128", "--duration", "2s",
            "--warmup", "1s", "--no-pin", "--in-process", "--processes", "2", "--out", "/tmp/demo dir",
            "--no-progress"),
        "merge", List.of("merge", "--json", "m.json", "--slo", "p99=1ms", "--slo", "rate=5000", "--allow-errors",
            "--latency-distribution", "--", "a.hlog", "-b.hlog"),
        "client", List.of("client", "--udp", "--linger", "3s", "127.0.0.1:5000"));

    private static CommandSpec parse(final List<String> args) {
        final CommandLine commandLine = CommandLauncher.commandLine(new RingsideCommand());
        final CommandLine.ParseResult parsed = commandLine.parseArgs(args.toArray(new String[0]));
        return parsed.subcommand().commandSpec();
    }

    private static List<String> render(final CommandSpec spec) {
        final List<String> args = new ArrayList<>();
        args.add(spec.name());
        args.addAll(CommandArguments.of(spec).toList());
        return args;
    }

    /** @return every option's and positional's value, as text */
    private static Map<String, String> values(final CommandSpec spec) {
        final Map<String, String> values = new LinkedHashMap<>();
        for (final ArgSpec arg : spec.args()) {
            final Object value = arg.getValue();
            final String key = arg.isOption() ? ((CommandLine.Model.OptionSpec) arg).longestName() : arg.paramLabel();
            values.put(key, text(value));
        }
        return values;
    }

    /** @return the value as text, arrays and maps by content (a boolean[] option has no useful toString) */
    private static String text(final Object value) {
        if (value instanceof Object[]) {
            return Arrays.deepToString((Object[]) value);
        }
        if (value instanceof boolean[]) {
            return Arrays.toString((boolean[]) value);
        }
        if (value instanceof Map) {
            final Map<String, String> map = new LinkedHashMap<>();
            for (final Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                map.put(String.valueOf(entry.getKey()), text(entry.getValue()));
            }
            return map.toString();
        }
        return String.valueOf(value);
    }

    private static BenchSettings settings(final CommandSpec spec) {
        return ((BenchCommand) spec.userObject()).settings();
    }

    private static String fingerprint(final BenchSettings settings) {
        // BenchSettings shows --accept-status as an array's identity ([Z@1b2c3d), in its display and JSON maps
        // alike; the option's value itself is compared by content in values().
        return (settings.describe() + settings.parameters() + settings.jsonParameters() + settings.bindAddresses()
            + settings.connectRate()).replaceAll(IDENTITY, "[Z]");
    }

    @Test
    void shouldParseRenderedBenchToIdenticalSettings() {
        final CommandSpec first = parse(List.of(BENCH));
        final List<String> rendered = render(first);
        final CommandSpec second = parse(rendered);
        assertEquals(values(first), values(second), "rendered: " + rendered);
        assertEquals(fingerprint(settings(first)), fingerprint(settings(second)));
        assertEquals("[A: 1, B: two words]", values(second).get("--header"), "repeated, with spaces");
        assertEquals("-1 dash, = and spaces", values(second).get("--body"));
        assertEquals(render(second), rendered, "rendering is stable");
    }

    static List<String> commands() {
        return List.copyOf(new TreeSet<>(EVERY_COMMAND.keySet()));
    }

    /** @return every option name the registry generates, on any command */
    private static Set<String> registryOptions() {
        final Set<String> names = new TreeSet<>();
        for (final ProtocolSpec spec : Protocols.ALL) {
            for (final ProtocolOption<?> option : Protocols.bothSides(spec)) {
                names.addAll(option.names());
            }
        }
        return names;
    }

    private static List<String> sample(final String command) {
        return EVERY_COMMAND.get(command);
    }

    @Test
    void shouldHaveASampleForEveryCommand() {
        final Set<String> commands = new TreeSet<>(CommandLauncher.commandLine(new RingsideCommand()).getSubcommands()
            .keySet());
        commands.remove("help");
        assertEquals(commands, new TreeSet<>(EVERY_COMMAND.keySet()), "a new command needs a sample here");
    }

    /**
     * Catches an option added without a sample value, dropped or renamed (the sample no longer parses), and a
     * sample value equal to the default (a renderer that drops that option would go unnoticed).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void shouldGiveEveryOptionOfEachCommandAValueOtherThanItsDefault(final String command) {
        final CommandSpec spec = parse(sample(command));
        final CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
        final Set<String> registry = registryOptions();
        for (final OptionSpec option : spec.options()) {
            if (option.usageHelp() || option.versionHelp() || registry.contains(option.longestName())) {
                continue;
            }
            final OptionSpec given = parsed.matchedOption(option.longestName());
            assertTrue(given != null, command + " " + option.longestName() + " has no value in the sample");
            if (option.arity().max() > 0 && option.defaultValue() != null) {
                assertNotEquals(option.defaultValue(), String.join(",", given.originalStringValues()),
                    command + " " + option.longestName() + ": the sample must differ from the default");
            }
        }
        for (final PositionalParamSpec positional : spec.positionalParameters()) {
            assertTrue(parsed.hasMatchedPositional(positional.index().min()),
                command + " " + positional.paramLabel() + " has no value in the sample");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void shouldParseEveryRenderedCommandToIdenticalValues(final String command) {
        final CommandSpec first = parse(sample(command));
        final List<String> rendered = render(first);
        final CommandSpec second = parse(rendered);
        assertEquals(values(first), values(second), "rendered: " + rendered);
        assertEquals(render(second), rendered, "rendering is stable");
    }

    @Test
    void shouldParseRenderedDemoAndMergeToIdenticalSettings() {
        for (final List<String> args : List.of(
            List.of("demo", "--connections", "300", "-R", "1500.5", "--size", "128", "--duration", "2s", "--no-pin",
                "--in-process", "--out", "/tmp/demo dir"),
            List.of("merge", "--json", "m.json", "--slo", "p99=1ms", "--slo", "rate=5000", "--allow-errors",
                "--latency-distribution", "--", "a.hlog", "-b.hlog"))) {
            final CommandSpec first = parse(args);
            final List<String> rendered = render(first);
            assertEquals(values(first), values(parse(rendered)), "rendered: " + rendered);
        }
    }

    /**
     * Bench's options that are not settings of the run but the parent's outputs, verdict and process plan (a
     * fleet child gets none of them), and {@code --ramp}, which the settings hold as the connect rate it gives.
     */
    private static final Set<String> NOT_SETTINGS = Set.of("--json", "--hlog", "--report", "--latency-distribution",
        "--no-progress", "--slo", "--allow-errors", "--processes", "--start-at", "--cpus", "--ramp");

    /** Between them, every option of bench's that is a setting of the run, given a value other than its default. */
    private static final List<String> RUN_TCP = List.of("bench", "--target", "127.0.0.1:5000", "--protocol", "http",
        "--path", "/a", "-c", "7", "-R", "123.5", "--pipeline", "2", "--size", "100", "-d", "3s", "--warmup", "0",
        "-t", "2", "--ramp", "2s", "--connect-rate", "300", "--connect-timeout", "1s", "--timeout", "750ms", "--bind",
        "127.0.0.2-127.0.0.4", "--requests-per-connection", "3", "--idle", "spin");
    private static final List<String> RUN_UDP = List.of("bench", "--target", "127.0.0.1:5000", "--protocol", "rr",
        "--udp", "-c", "5", "--closed-loop", "--no-reconnect", "--idle", "backoff");

    /** Bench command lines whose settings differ in every way a run can: TCP and UDP, open and closed loop. */
    static List<List<String>> benchSamples() {
        return List.of(List.of(BENCH), RUN_TCP, RUN_UDP,
            List.of("bench", "--target", "127.0.0.1:5000", "-R", "1000"),
            List.of("bench", "--target", "[::1]:6379", "--protocol", "redis", "--closed-loop", "--connect-rate",
                "Infinity", "--pipeline", "16", "-t", "1", "--timeout", "1500us", "--warmup", "1234567ns"),
            List.of("bench", "--target", "127.0.0.1:9", "--protocol", "rr", "--udp", "-c", "3", "-R", "0.5",
                "--size", "1k", "--idle", "backoff"));
    }

    /** @return the rendered options of {@code first} that {@code second} does not have: the ones that got lost */
    private static List<String> lost(final BenchSettings first, final BenchSettings second) {
        final List<String> lost = new ArrayList<>(first.arguments());
        lost.removeAll(second.arguments());
        return lost;
    }

    /**
     * Parse, settings, render, parse: equal settings. Catches a setting that {@link BenchSettings#arguments()}
     * leaves out or writes wrong, naming it (tried: dropping {@code --pipeline}, writing a duration in whole
     * seconds, rendering {@code --rate} for a closed loop), and one {@link BenchSettings#equals} ignores.
     */
    @ParameterizedTest
    @MethodSource("benchSamples")
    void shouldParseRenderedBenchSettingsToEqualSettings(final List<String> args) {
        final BenchSettings first = settings(parse(args));
        final List<String> rendered = new ArrayList<>(List.of("bench"));
        rendered.addAll(first.arguments());
        final BenchSettings second = settings(parse(rendered));
        assertEquals(List.of(), lost(first, second), "lost in " + rendered);
        assertEquals(first, second, "rendered: " + rendered);
        assertEquals(first.hashCode(), second.hashCode());
        assertEquals(fingerprint(first), fingerprint(second));
        assertEquals(first.arguments(), second.arguments(), "rendering is stable");
    }

    /** Catches an option added to bench without a place in its settings' rendering (tried: drop --idle). */
    @Test
    void shouldRenderEveryRunOptionOfBench() {
        final CommandSpec spec = parse(RUN_TCP);
        final String rendered = String.join(" ", settings(spec).arguments()) + " "
            + String.join(" ", settings(parse(RUN_UDP)).arguments());
        for (final OptionSpec option : spec.options()) {
            final String name = option.longestName();
            if (option.usageHelp() || option.versionHelp() || NOT_SETTINGS.contains(name)
                || registryOptions().contains(name)) {
                continue;
            }
            assertTrue(rendered.contains(name + "=") || rendered.contains(name + " "),
                "BenchSettings.arguments() leaves out " + name + ": " + rendered);
        }
    }

    @Test
    void shouldTellSettingsThatDifferApart() {
        final BenchSettings one = settings(parse(List.of(BENCH)));
        assertNotEquals(one, one.copy().pipeline(3));
        assertNotEquals(one, one.copy().bindAddresses(List.of()));
        final List<String> otherPath = new ArrayList<>(List.of(BENCH));
        otherPath.set(otherPath.indexOf("/a?b=c"), "/other");
        assertNotEquals(one, settings(parse(otherPath)), "a protocol option differs");
        assertEquals(one, one.copy());
    }

    /**
     * A fleet child's command line parses to the parent's settings with its share: connections, rate, connect
     * rate, threads and source addresses; nothing else differs, and the parent's outputs stay with it.
     */
    @Test
    void shouldGiveEveryChildTheParentsSettingsWithItsShare() {
        final CommandSpec parent = parse(List.of(BENCH));
        final BenchSettings whole = settings(parent);
        final List<FleetPlan.Share> shares = FleetPlan.split(whole, 3, 28_232);
        final GeneratorFleet fleet = new GeneratorFleet(whole, shares, List.of(), -1, Path.of("/tmp"), List.of(),
            System.err);
        int connections = 0;
        double rate = 0;
        double connectRate = 0;
        final List<Object> bind = new ArrayList<>();
        for (final FleetPlan.Share share : shares) {
            final CommandSpec child = parse(fleet.childArguments(share, Path.of("/tmp/g" + share.index() + ".hlog"),
                1_796_306_400_250L));
            final BenchSettings own = settings(child);
            final BenchSettings expected = whole.copy().connections(share.connections()).rate(share.rate())
                .connectRate(share.connectRate()).threads(share.threads()).bindAddresses(share.bind());
            assertEquals(expected, own, "the parent's settings with the child's share");
            assertEquals(List.of(), lost(expected, own));
            connections += own.connections();
            rate += own.rate();
            connectRate += own.connectRate();
            bind.addAll(own.bindAddresses());
            assertEquals("null", values(child).get("--json"), "the parent's outputs stay with the parent");
            assertEquals("[]", values(child).get("--slo"), "the parent judges the run");
            assertEquals("1", values(child).get("--processes"));
            assertEquals("/tmp/g" + share.index() + ".hlog", values(child).get("--hlog"));
            assertEquals("1796306400.250", values(child).get("--start-at"));
            assertEquals("true", values(child).get("--no-progress"));
        }
        assertEquals(7, connections);
        assertEquals(123.5, rate, 1e-9);
        assertEquals(whole.connectRate(), connectRate, 1e-9);
        assertEquals(whole.bindAddresses(), bind, "each address to exactly one child, in order");
        assertNotEquals(shares.get(0).bind(), shares.get(1).bind());
        assertTrue(shares.get(0).connections() >= shares.get(2).connections());
    }

    /**
     * A sweep step's load is bench's: the same options (one mixin) make the same settings, which render as the
     * bench command that runs that step alone. Catches sweep reading a load option bench does not (tried: sweep
     * building its settings with --threads left out).
     */
    @Test
    void shouldRenderASweepStepAsTheBenchCommandThatRunsIt() {
        final List<String> load = RUN_TCP.subList(1, RUN_TCP.indexOf("-R"));
        final List<String> rest = RUN_TCP.subList(RUN_TCP.indexOf("-R") + 2, RUN_TCP.size());
        final List<String> sweep = new ArrayList<>(List.of("sweep"));
        sweep.addAll(load);
        sweep.addAll(rest);
        sweep.addAll(List.of("--rates", "100,123.5"));
        final SweepCommand command = (SweepCommand) parse(sweep).userObject();
        final BenchSettings step = command.load.settings(123.5, false, command.spec);
        assertEquals(settings(parse(RUN_TCP)), step, "sweep " + sweep);
        final List<String> rendered = new ArrayList<>(List.of("bench"));
        rendered.addAll(step.arguments());
        assertEquals(step, settings(parse(rendered)));
    }

    /** The demo's load, rendered as the bench command it prints and its generator processes get, parses back. */
    @Test
    void shouldRenderTheDemosLoadAsTheBenchCommandItRuns() {
        final DemoCommand demo = (DemoCommand) parse(sample("demo")).userObject();
        final BenchSettings load = demo.settings(new java.net.InetSocketAddress("127.0.0.1", 5000));
        final List<String> rendered = new ArrayList<>(List.of("bench"));
        rendered.addAll(load.arguments());
        assertEquals(load, settings(parse(rendered)), "rendered: " + rendered);
        assertEquals(300, load.connections());
        assertEquals(1500.5, load.rate());
        assertEquals(128, load.size());
    }
}
