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
 * Settings that travel: a command parsed, rendered back to arguments ({@link CommandArguments}) and parsed
 * again has identical settings, every option's value (the registry's protocol options included) and, for
 * bench, the validated {@link BenchSettings}. Catches a renderer that drops a repeated value (only the first
 * {@code --header}), renders a flag with a value, splits a value holding spaces, or lets a value starting with
 * {@code -} be read as an option (each tried once).
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
            "--no-reconnect", "--requests-per-connection", "4", "--idle", "block", "--rates", "1k..9k", "--steps",
            "4", "--resolution", "5%", "--slo", "p99=1ms", "--slo", "errors=0", "--json", "s.json", "--report",
            "s.html", "--no-progress", "--cpus", "1"),
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

    @Test
    void shouldGiveEveryChildTheParentsSettingsWithItsShare() {
        final CommandSpec parent = parse(List.of(BENCH));
        final BenchSettings whole = settings(parent);
        final List<FleetPlan.Share> shares = FleetPlan.split(whole, 3, 28_232);
        final GeneratorFleet fleet = new GeneratorFleet(whole, shares, CommandArguments.of(parent), List.of(), -1,
            Path.of("/tmp"), List.of(), System.err);
        int connections = 0;
        double rate = 0;
        double connectRate = 0;
        final List<Object> bind = new ArrayList<>();
        for (final FleetPlan.Share share : shares) {
            final CommandSpec child = parse(fleet.childArguments(share, Path.of("/tmp/g.hlog"), 1_796_306_400_250L));
            final BenchSettings own = settings(child);
            final Map<String, Object> expected = new LinkedHashMap<>(whole.jsonParameters());
            final Map<String, Object> actual = new LinkedHashMap<>(own.jsonParameters());
            expected.put("protocolOptions", text(expected.get("protocolOptions")).replaceAll(IDENTITY, "[Z]"));
            actual.put("protocolOptions", text(actual.get("protocolOptions")).replaceAll(IDENTITY, "[Z]"));
            for (final String split : List.of("connections", "rateTarget", "connectRate", "threads", "bindAddresses")) {
                expected.remove(split);
                actual.remove(split);
            }
            assertEquals(expected, actual, "everything but the share is the parent's");
            assertEquals(share.connections(), own.connections());
            assertEquals(share.rate(), own.rate());
            connections += own.connections();
            rate += own.rate();
            connectRate += own.connectRate();
            bind.addAll(own.bindAddresses());
            assertEquals(List.of(), values(child).get("--json").equals("null") ? List.of() : List.of("--json"),
                "the parent's outputs stay with the parent");
            assertEquals("1796306400.250", values(child).get("--start-at"));
        }
        assertEquals(7, connections);
        assertEquals(123.5, rate, 1e-9);
        assertEquals(whole.connectRate(), connectRate, 1e-9);
        assertEquals(whole.bindAddresses(), bind, "each address to exactly one child, in order");
        assertNotEquals(shares.get(0).bind(), shares.get(1).bind());
        assertTrue(shares.get(0).connections() >= shares.get(2).connections());
    }
}
