package dev.ringside.bench.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.ringside.bench.command.CommandLauncher;
import dev.ringside.engine.config.Units;
import dev.ringside.engine.counter.EngineCounter;
import dev.ringside.engine.model.ModelCounter;
import dev.ringside.engine.model.RunningServer;
import dev.ringside.engine.model.ServerModel;
import dev.ringside.engine.model.WorkerLaunch;
import dev.ringside.engine.model.WorkerSupervisor;
import dev.ringside.engine.testing.LoopHarness;
import dev.ringside.engine.testing.Payloads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import dev.ringside.engine.server.CountersLocation;
import dev.ringside.engine.server.ServerSettings;
import dev.ringside.engine.server.ServerFactory;

/**
 * The prefork server, {@code ringside server --processes 3}, as a user runs it: three selector worker processes
 * share the TCP and UDP ports, each accepts connections (its own counters file says so), {@code ringside stat} on
 * the supervisor shows each worker and their sum, SIGTERM stops every worker gracefully with exit status 0, and a
 * worker killed with SIGKILL stops the whole server with exit status 1, naming the worker.
 *
 * <p>Catches (tried): a stat sum that leaves a worker out (the total fell short of the connections made), and the
 * shutdown hook halting with 0 whatever happened (the killed-worker case exited 0). Also meant to catch: workers
 * binding without {@code SO_REUSEPORT} (the second cannot start), a SIGTERM that leaves workers running or exits
 * 143, a dead worker ignored (the server runs on).
 */
@Timeout(300)
class PreforkServerTest {
    private static final int WORKERS = 3;
    private static final long START_CAP_S = 150;
    /** Enough connections that SO_REUSEPORT's hash leaves no worker out: each misses one with (2/3)^n. */
    private static final int MAX_CONNECTIONS = 600;
    private static final Pattern ACCEPTED = Pattern.compile("\"connections accepted\": (\\d+)");
    private static final Pattern DATAGRAMS_IN = Pattern.compile("\"datagrams in\": (\\d+)");

    @TempDir
    Path countersDirectory;

    private final List<WatchedChild> started = new ArrayList<>();
    private final List<Long> workerPids = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        for (final long pid : workerPids) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        for (final WatchedChild child : started) {
            child.process().destroyForcibly();
        }
    }

    private WatchedChild startServer() throws Exception {
        final WatchedChild server = WatchedChild.start(Map.of("RINGSIDE_COUNTERS_DIR", countersDirectory.toString()),
            ChildServerMain.class, "--processes", Integer.toString(WORKERS), "--tcp", "127.0.0.1:0",
            "--udp", "127.0.0.1:0", "--grace", "1s");
        started.add(server);
        // Four JVMs start one after another: on a busy two-core machine that can take longer than the usual cap.
        server.await(line -> line.startsWith("counters "), START_CAP_S);
        final String model = server.first(line -> line.startsWith("model "));
        assertTrue(model.startsWith("model prefork: 3 worker processes of selector"), model);
        final Matcher pids = Pattern.compile("\\d+").matcher(model.substring(model.indexOf('[')));
        while (pids.find()) {
            workerPids.add(Long.parseLong(pids.group()));
        }
        assertEquals(WORKERS, workerPids.size(), model);
        final String limits = server.first(line -> line.startsWith("limits "));
        assertTrue(limits.contains(" in all across 3 processes"), limits);
        return server;
    }

    private static InetSocketAddress address(final WatchedChild server, final String transport) {
        return Units.parseAddress(server.first(line -> line.startsWith("listening " + transport + " ")).split(" ")[2]);
    }

    private String statJson(final long pid) {
        final StringWriter out = new StringWriter();
        final var commandLine = CommandLauncher.commandLine(new StatCommand());
        commandLine.setOut(new PrintWriter(out, true));
        assertEquals(0, commandLine.execute("--json", "--dir", countersDirectory.toString(), Long.toString(pid)));
        return out.toString();
    }

    private static List<Long> all(final Pattern pattern, final String text) {
        final List<Long> values = new ArrayList<>();
        final Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            values.add(Long.parseLong(matcher.group(1)));
        }
        return values;
    }

    @Test
    void shouldAcceptInEveryWorkerSumThemInStatAndStopAllWithStatusZeroOnSigterm() throws Exception {
        final WatchedChild server = startServer();
        final long supervisor = server.process().pid();
        final InetSocketAddress tcp = address(server, "tcp");
        final byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
        int connections = 0;
        WorkerFiles.Snapshot workers = WorkerFiles.read(countersDirectory.toFile(), supervisor);
        while (connections < MAX_CONNECTIONS && !everyWorkerAccepted(workers)) {
            for (int i = 0; i < 30; i++, connections++) {
                try (SocketChannel client = SocketChannel.open(tcp)) {
                    Payloads.writeFully(client, hello);
                    assertArrayEquals(hello, Payloads.readFully(client, hello.length));
                }
            }
            final int made = connections;
            // A worker counts the accept once it has read the close; wait for the sum to catch up.
            LoopHarness.await(() -> sum(WorkerFiles.read(countersDirectory.toFile(), supervisor)) == made);
            workers = WorkerFiles.read(countersDirectory.toFile(), supervisor);
        }
        assertTrue(everyWorkerAccepted(workers), "after " + connections + " connections some worker accepted none");

        // Every datagram gets its echo, whichever worker the flow hash picked.
        final InetSocketAddress udp = address(server, "udp");
        final int datagramClients = 12;
        for (int i = 0; i < datagramClients; i++) {
            try (DatagramChannel client = DatagramChannel.open()) {
                client.connect(udp);
                final byte[] payload = ("datagram " + i).getBytes(StandardCharsets.US_ASCII);
                client.write(ByteBuffer.wrap(payload));
                final ByteBuffer reply = ByteBuffer.allocate(64);
                client.read(reply);
                assertArrayEquals(payload, java.util.Arrays.copyOf(reply.array(), reply.position()));
            }
        }

        // stat --json on the supervisor: the total first, then each worker; the total is their sum.
        final String json = statJson(supervisor);
        final List<Long> accepted = all(ACCEPTED, json);
        assertEquals(1 + WORKERS, accepted.size(), json);
        assertEquals(connections, accepted.get(0), json);
        assertEquals(accepted.get(0), accepted.get(1) + accepted.get(2) + accepted.get(3), json);
        final List<Long> datagrams = all(DATAGRAMS_IN, json);
        assertEquals(datagramClients, datagrams.get(0), json);
        assertEquals(datagrams.get(0), datagrams.get(1) + datagrams.get(2) + datagrams.get(3), json);

        assertTrue(server.process().toHandle().destroy(), "SIGTERM sent");
        assertTrue(server.process().waitFor(60, TimeUnit.SECONDS), "the server exits after SIGTERM");
        assertEquals(0, server.process().exitValue(), server.text());
        final int total = connections;
        server.await(line -> line.matches("\\s*connections accepted\\s+" + String.format("%,d", total)));
        server.await(line -> line.matches("\\s*worker processes running\\s+0"));
        for (final long pid : workerPids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "worker " + pid + " lives on");
        }
        assertFalse(CountersLocation.workersDirectory(countersDirectory.toFile(), supervisor).exists(),
            "the workers' counters files are cleaned up");
        assertFalse(server.text().contains("Exception"), server.text());
    }

    @Test
    void shouldStopEveryWorkerAndExitOneWhenAWorkerIsKilled() throws Exception {
        final WatchedChild server = startServer();
        final long victim = workerPids.get(1);
        assertTrue(ProcessHandle.of(victim).orElseThrow().destroyForcibly(), "SIGKILL sent");
        assertTrue(server.process().waitFor(60, TimeUnit.SECONDS), "the server stops when a worker dies");
        assertEquals(1, server.process().exitValue(), server.text());
        server.await(line -> line.startsWith("ringside server: worker 1 (pid " + victim + ") exited with status "));
        server.await(line -> line.startsWith("final counters:"));
        for (final long pid : workerPids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "worker " + pid + " lives on");
        }
    }

    @Test
    void shouldRunMultiWorkersEachWithItsLoopsAndSumThemInTheSupervisorsTotals() throws Exception {
        // In this JVM: the supervisor is a library object here, its workers are real child JVMs.
        final ServerSettings settings = new ServerSettings().model(ServerModel.MULTI).loops(2).processes(2)
            .workerCommand(WorkerLaunch.currentJvm(ServerMain.class.getName()))
            .tcp(new InetSocketAddress("127.0.0.1", 0));
        final java.io.PrintStream nowhere = new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
        try (RunningServer server = ServerFactory.open(settings, nowhere, nowhere)) {
            final WorkerSupervisor supervisor = (WorkerSupervisor) server;
            workerPids.addAll(supervisor.workerPids());
            for (final long pid : supervisor.workerPids()) {
                final String commandLine = ProcessHandle.of(pid).orElseThrow().info().commandLine().orElse("");
                assertTrue(commandLine.contains("--model multi --loops 2"), commandLine);
            }
            final byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 20; i++) {
                try (SocketChannel client = SocketChannel.open(server.tcpAddresses().get(0))) {
                    Payloads.writeFully(client, hello);
                    assertArrayEquals(hello, Payloads.readFully(client, hello.length));
                }
            }
            LoopHarness.await(() -> server.totals().value(EngineCounter.CONNECTIONS_CLOSED) == 20);
            assertEquals(20, server.totals().value(EngineCounter.CONNECTIONS_ACCEPTED));
            assertEquals(2, server.totals().value(ModelCounter.WORKER_PROCESSES.id()));
            server.shutdown(0);
            // Read after the workers exited and deleted their files: the supervisor's mappings keep the values.
            assertEquals(20, server.totals().value(EngineCounter.CONNECTIONS_ACCEPTED));
            assertEquals(0, server.totals().value(ModelCounter.WORKER_PROCESSES.id()));
        }
    }

    private static boolean everyWorkerAccepted(final WorkerFiles.Snapshot workers) {
        final List<WorkerFiles.Worker> list = workers.workers();
        if (list.size() < WORKERS) {
            return false;
        }
        for (final WorkerFiles.Worker worker : list) {
            if (worker.totals.value(EngineCounter.CONNECTIONS_CLOSED) == 0) {
                return false;
            }
        }
        return true;
    }

    private static long sum(final WorkerFiles.Snapshot workers) {
        long closed = 0;
        for (final WorkerFiles.Worker worker : workers.workers()) {
            closed += worker.totals.value(EngineCounter.CONNECTIONS_CLOSED);
        }
        return closed;
    }
}
