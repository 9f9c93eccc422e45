package dev.ringside.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import dev.ringside.engine.counter.EngineCounter;
import dev.ringside.engine.protocol.CloseReason;
import dev.ringside.engine.protocol.chat.Chat;
import dev.ringside.engine.server.ServerFactory;
import dev.ringside.bench.server.ServerMain;
import dev.ringside.engine.server.ServerSettings;
import dev.ringside.engine.testing.LoopHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The process model, whose workers run the {@code server} command: in client-bench, which has that command, in
 * the engine's test package so that it shares the engine's model-test fixtures ({@link ModelServer}).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProcessModelTest {
    private static final int CONNECTIONS = 40;
    private static final long EXIT_WAIT_S = 30;

    /** Every process a test started, killed by pid afterwards if a test left it running. */
    private final List<Long> started = new ArrayList<>();

    @BeforeAll
    static void startWorkersWithTheServerCommand() {
        ModelServer.workerCommand = WorkerLaunch.currentJvm(ServerMain.class.getName());
    }

    @AfterEach
    void killLeftovers() {
        for (final long pid : started) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void shouldServeFromSeparateOsProcesses() throws Exception {
        final List<Long> pids;
        try (ModelServer server = ModelServer.start(ServerModel.PROCESS, "echo", false)) {
            final WorkerSupervisor supervisor = (WorkerSupervisor) server.server();
            pids = supervisor.workerPids();
            started.addAll(pids);
            final long self = ProcessHandle.current().pid();
            assertEquals(ModelServer.WORKERS, new HashSet<>(pids).size(), "distinct worker pids " + pids);
            for (final long pid : pids) {
                assertNotEquals(self, pid, "a worker is not the test JVM");
                final ProcessHandle worker = ProcessHandle.of(pid).orElseThrow();
                assertTrue(worker.isAlive());
                assertEquals(Optional.of(self), worker.parent().map(ProcessHandle::pid), "a child of the supervisor");
                assertTrue(worker.info().commandLine().orElse("").contains(ServerMain.class.getName()),
                    "a JVM running the server: " + worker.info().commandLine());
            }
            for (int i = 0; i < CONNECTIONS; i++) {
                try (Socket socket = Clients.connect(server.tcp())) {
                    Clients.roundTrip(socket, "connection " + i);
                }
            }
            server.awaitClosed(CloseReason.PEER_CLOSED, CONNECTIONS);
            // Each worker writes its own counters: the kernel spread the connections over both processes.
            long accepted = 0;
            for (int slot = 0; slot < ModelServer.WORKERS; slot++) {
                final long byWorker = supervisor.workerCounters(slot).get(EngineCounter.CONNECTIONS_ACCEPTED);
                assertTrue(byWorker > 0, "worker " + slot + " served no connection");
                accepted += byWorker;
            }
            assertEquals(CONNECTIONS, accepted);
            assertEquals(ModelServer.WORKERS, server.count(ModelCounter.WORKER_PROCESSES));
        }
        for (final long pid : pids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "worker " + pid + " lives on");
        }
    }

    @Test
    void shouldKeepServingThePortWhenAWorkerDies() throws Exception {
        try (ModelServer server = ModelServer.start(ServerModel.PROCESS, "echo", false)) {
            final WorkerSupervisor supervisor = (WorkerSupervisor) server.server();
            started.addAll(supervisor.workerPids());
            final ProcessHandle victim = ProcessHandle.of(supervisor.workerPids().get(0)).orElseThrow();
            victim.destroyForcibly();
            victim.onExit().get(EXIT_WAIT_S, TimeUnit.SECONDS);
            server.await(ModelCounter.WORKER_PROCESSES, ModelServer.WORKERS - 1);
            final long before = supervisor.workerCounters(1).get(EngineCounter.CONNECTIONS_ACCEPTED);
            for (int i = 0; i < 10; i++) {
                try (Socket socket = Clients.connect(server.tcp())) {
                    Clients.roundTrip(socket, "after the crash " + i);
                }
            }
            assertEquals(before + 10, supervisor.workerCounters(1).get(EngineCounter.CONNECTIONS_ACCEPTED),
                "the surviving worker took every new connection");
        }
    }

    @Test
    void shouldExitWhenItsSupervisorDies() throws Exception {
        // A stand-in supervisor we can kill: any process will do, the worker only watches its pid.
        final Process supervisor = new ProcessBuilder("sleep", "120").start();
        started.add(supervisor.pid());
        // In a directory of its own: counters files are refused in a directory others can write, such as /tmp.
        final File countersDirectory = Files.createTempDirectory("ringside-test-worker-").toFile();
        countersDirectory.deleteOnExit();
        final File countersFile = new File(countersDirectory, "worker.counters");
        try (CounterStore store = CounterStore.publish(countersFile, 1)) {
            store.allocate("worker-0");
            final List<String> command = new ArrayList<>(WorkerLaunch.currentJvm(ServerMain.class.getName()));
            command.addAll(List.of("--model", "thread", WorkerLaunch.SLOT_OPTION, "0",
                WorkerLaunch.COUNTERS_OPTION, countersFile.getPath(),
                WorkerLaunch.PARENT_OPTION, Long.toString(supervisor.pid()), "--tcp", "127.0.0.1:0"));
            final WorkerProcess worker = WorkerProcess.start(0, command, ModelServer.nowhere());
            started.add(worker.pid());
            final List<InetSocketAddress> bound = worker.awaitListening(1, 0,
                System.nanoTime() + TimeUnit.SECONDS.toNanos(EXIT_WAIT_S));
            try (Socket socket = Clients.connect(bound.get(0))) {
                Clients.roundTrip(socket, "alive");
            }
            LoopHarness.await(() -> store.find("worker-0").get(EngineCounter.CONNECTIONS_CLOSED) == 1);

            supervisor.destroyForcibly();
            worker.process().onExit().get(EXIT_WAIT_S, TimeUnit.SECONDS);
            assertFalse(worker.process().isAlive(), "the orphaned worker exited");
        }
    }

    @Test
    void shouldFailToStartWhenTheFirstWorkerCannotListenAndLeaveNoWorkerBehind() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            final WorkerLaunch launch = new WorkerLaunch(WorkerLaunch.currentJvm(ServerMain.class.getName()))
                .workers(2).workerArgs(List.of("--protocol", "echo"))
                .tcp(new InetSocketAddress(taken.getInetAddress(), taken.getLocalPort()));
            final IOException failed = assertThrows(IOException.class,
                () -> new WorkerSupervisor(launch, ModelServer.nowhere(), ModelServer.nowhere()));
            assertTrue(failed.getMessage().matches(
                "worker 0 \\(pid \\d+\\) exited with status 1 before listening.*"), failed.getMessage());
        }
        assertEquals(0, ProcessHandle.current().children()
            .filter(child -> child.info().commandLine().orElse("").contains(ServerMain.class.getName())).count(),
            "no worker outlives a failed start");
    }

    @Test
    void shouldRefuseToSplitOneChatRoomAcrossProcesses() {
        final ServerSettings settings = new ServerSettings().model(ServerModel.PROCESS).workers(2)
            .protocol(Chat.SPEC).tcp(new InetSocketAddress("127.0.0.1", 0));
        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
            () -> ServerFactory.open(settings, ModelServer.nowhere(), ModelServer.nowhere()));
        assertTrue(refused.getMessage().contains("--workers 1"), refused.getMessage());
    }
}
