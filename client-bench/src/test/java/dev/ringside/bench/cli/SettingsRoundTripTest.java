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

import dev.ringside.bench.driver.BenchSettings;
import dev.ringside.bench.fleet.FleetPlan;
import dev.ringside.bench.fleet.GeneratorFleet;
import dev.ringside.bench.process.CommandArguments;
import dev.ringside.bench.command.CommandLauncher;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Settings that travel: a command parsed, rendered back to arguments ({@link CommandArguments}) and parsed
 * again has identical settings, every option's value (the registry's protocol options included) and, for
 * bench, the validated {@link BenchSettings}. Catches a renderer that drops a repeated value (only the first
 * {@code --header}), renders a flag with a value, splits a value holding spaces, or lets a value starting with
 * {@code -} be read as an option (each tried once).
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
