package dev.ringside.bench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import dev.ringside.bench.cli.BenchCommand;
import dev.ringside.bench.cli.RingsideCommand;
import dev.ringside.bench.command.CommandLauncher;
import dev.ringside.bench.driver.BenchSettings;
import dev.ringside.bench.server.ServerCommand;
import dev.ringside.engine.model.ServerModel;
import dev.ringside.engine.model.ServerSettings;
import dev.ringside.engine.protocol.http.Http;
import org.junit.jupiter.api.Test;

/**
 * Server children's settings travel: the command {@link ServerLaunch} renders for compare's models and for the
 * demo parses, as {@code ringside server}, to exactly the settings the parent meant. Catches a rendering that
 * drops the protocol's server options, a model's size or the prefork processes (each tried once), and a model
 * given the size flag of another.
 */
class ServerLaunchTest {
    private static final PrintStream NOWHERE = new PrintStream(OutputStream.nullOutputStream());

    private static Object parse(final List<String> args) {
        return CommandLauncher.commandLine(new RingsideCommand()).parseArgs(args.toArray(new String[0]))
            .subcommand().commandSpec().userObject();
    }

    private static ServerSettings server(final ServerLaunch launch) {
        return ((ServerCommand) parse(launch.arguments())).settings(NOWHERE);
    }

    @Test
    void shouldStartEachComparedModelWithTheComparisonsServerSettings() {
        final CompareSettings compare = ((CompareCommand) parse(List.of("compare", "--models",
            "pool,process,multi,selector,thread", "--protocol", "http", "--max-header", "4096", "--path", "/x", "-c",
            "5,50", "--threads", "3", "--workers", "2", "--loops", "4", "--ring-capacity", "16k"))).settings();
        for (final ServerModel model : compare.models()) {
            final ServerSettings server = server(compare.server(model));
            assertEquals(model, server.model());
            assertEquals("http", server.protocol().name());
            assertEquals(4096, server.protocolOptions().get(Http.MAX_HEADER), model.label());
            assertEquals(16 * 1024, server.loopConfig().ringCapacityBytes());
            assertEquals(compare.poolBytes(), server.loopConfig().poolBytes());
            assertEquals(List.of(new InetSocketAddress("127.0.0.1", 0)), server.tcpAddresses());
            assertEquals(false, server.publishCounters());
            assertEquals(1, server.processes());
            if (model == ServerModel.POOL) {
                assertEquals(3, server.threads());
            }
            if (model == ServerModel.PROCESS) {
                assertEquals(2, server.workers());
            }
            if (model == ServerModel.MULTI) {
                assertEquals(4, server.loops());
            }
        }
    }

    /**
     * Each cell's load is compare's one load with the cell's target and connections (its generator threads at
     * most its connections), and rendered as bench options it parses back to itself: compare's options reach
     * the generator, the protocol's client options included. Catches a compare option the cell loses (tried:
     * --timeout left at bench's default).
     */
    @Test
    void shouldGiveEachCellComparesLoadWithItsTargetAndConnections() {
        final CompareSettings compare = ((CompareCommand) parse(List.of("compare", "--models", "selector",
            "--protocol", "http", "--path", "/x", "--max-header", "4096", "-c", "1,50", "-R", "777", "-d", "3s",
            "--warmup", "1s", "--size", "100", "--timeout", "1500ms", "--generator-threads", "2"))).settings();
        final InetSocketAddress target = new InetSocketAddress("127.0.0.1", 4321);
        for (final int connections : compare.connections()) {
            final BenchSettings cell = compare.bench(target, connections);
            final List<String> bench = new ArrayList<>(List.of("bench"));
            bench.addAll(cell.arguments());
            final BenchSettings parsed = ((BenchCommand) parse(bench)).settings();
            assertEquals(cell, parsed, "rendered: " + bench);
            assertEquals(List.of("--path=/x"), cell.arguments().stream().filter(a -> a.startsWith("--path")).toList());
            assertEquals(777, cell.rate());
            assertEquals(3_000_000_000L, cell.durationNs());
            assertEquals(1_000_000_000L, cell.warmupNs());
            assertEquals(1_500_000_000L, cell.timeoutNs());
            assertEquals(100, cell.size());
            assertEquals(connections, cell.connections());
            assertEquals(Math.min(2, connections), cell.threads());
            assertEquals(target, cell.target());
        }
    }

    @Test
    void shouldStartTheDemosPreforkServerWithItsProcesses() {
        final ServerSettings server = server(ServerLaunch.of("echo", "2s").processes(3));
        assertEquals(ServerModel.SELECTOR, server.model());
        assertEquals("echo", server.protocol().name());
        assertEquals(3, server.processes());
        assertEquals(false, server.publishCounters());
        assertEquals(ServerModel.SELECTOR, server(ServerLaunch.of("echo", "1s")).model());
    }
}
