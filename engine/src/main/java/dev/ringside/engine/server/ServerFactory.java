package dev.ringside.engine.server;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;

import dev.ringside.engine.model.BlockingServer;
import dev.ringside.engine.model.BlockingSettings;
import dev.ringside.engine.model.CounterStore;
import dev.ringside.engine.model.ErrorPrinter;
import dev.ringside.engine.model.ModelCounters;
import dev.ringside.engine.model.RunningServer;
import dev.ringside.engine.model.ServerModel;
import dev.ringside.engine.model.WorkerLaunch;
import dev.ringside.engine.model.WorkerSupervisor;
import dev.ringside.engine.protocol.Protocol;

/**
 * Builds the server of the model the settings name: the selector loop(s), a blocking model, or the process
 * model's supervisor and workers. Every model gets the same protocol sessions and the same counters file.
 */
public final class ServerFactory {
    private ServerFactory() {
    }

    /**
     * Builds and binds a server; nothing is served before {@link RunningServer#start()} (except by the
     * process model's workers, which serve as soon as they listen).
     *
     * @param settings what to serve, and how
     * @param out      where workers' printed output goes
     * @param errors   where unexpected errors are reported
     * @return the server
     * @throws IOException when an address cannot be bound or a worker cannot start
     * @throws InterruptedException if interrupted while workers start
     */
    public static RunningServer open(final ServerSettings settings, final PrintStream out, final PrintStream errors)
        throws IOException, InterruptedException {
        final ServerModel model = settings.model();
        if (settings.isPrefork()) {
            return prefork(settings, out, errors);
        }
        if (model.isSelector()) {
            return new Server(settings, errors);
        }
        // Blocking models call sessions from many threads: a protocol that shares state gets a session lock.
        final Protocol protocol = settings.newProtocol();
        if (!settings.udpAddresses().isEmpty() && !protocol.supportsDatagrams()) {
            throw new IllegalArgumentException("protocol '" + protocol.name() + "' has no UDP form; drop --udp");
        }
        if (model == ServerModel.PROCESS) {
            // Checked here, so a mistake is one line from the supervisor rather than one from each worker.
            if (settings.workers() > 1 && protocol.sharesState()) {
                throw new IllegalArgumentException("protocol '" + protocol.name() + "' keeps one room for all "
                    + "connections, which worker processes cannot share: use --workers 1 or another model");
            }
            return new WorkerSupervisor(workerLaunch(settings), out, errors);
        }
        final BlockingSettings blocking = new BlockingSettings()
            .model(model)
            .config(settings.loopConfig())
            .threads(settings.threads())
            .reusePort(settings.isWorker());
        for (final InetSocketAddress address : settings.tcpAddresses()) {
            blocking.tcp(address);
        }
        for (final InetSocketAddress address : settings.udpAddresses()) {
            blocking.udp(address);
        }
        final CounterStore store;
        final ModelCounters counters;
        if (settings.isWorker()) {
            store = CounterStore.attach(settings.workerCounters());
            counters = store.find("worker-" + settings.workerSlot());
        } else {
            store = settings.publishCounters()
                ? CounterStore.publish(CountersLocation.fileFor(ProcessHandle.current().pid()), 1)
                : CounterStore.privateMemory(1);
            counters = store.allocate(model.label());
        }
        final String source = settings.isWorker() ? "worker-" + settings.workerSlot() : model.label();
        return new BlockingServer(blocking, protocol, store, counters, new ErrorPrinter(errors, source));
    }

    /**
     * The prefork server: {@code --processes N} worker processes of the selector model (or multi), each binding
     * every port with {@code SO_REUSEPORT} and publishing its own counters file.
     */
    private static RunningServer prefork(final ServerSettings settings, final PrintStream out,
        final PrintStream errors) throws IOException, InterruptedException {
        if (!settings.model().isSelector()) {
            throw new IllegalArgumentException("--processes runs selector or multi workers; for worker processes "
                + "with a thread per connection use --model process --workers " + settings.processes());
        }
        // Checked here, so a mistake is one line from the supervisor rather than one from each worker.
        final Protocol protocol = settings.newProtocol();
        if (protocol.sharesState()) {
            throw new IllegalArgumentException("protocol '" + protocol.name() + "' keeps one room for all "
                + "connections, which worker processes cannot share: drop --processes");
        }
        if (!settings.udpAddresses().isEmpty() && !protocol.supportsDatagrams()) {
            throw new IllegalArgumentException("protocol '" + protocol.name() + "' has no UDP form; drop --udp");
        }
        final WorkerLaunch launch = workerLaunch(settings)
            .workers(settings.processes())
            .workerModel(settings.model(), settings.loops())
            .stopOnWorkerExit(true)
            .workerCountersDirectory(CountersLocation.workersDirectory(CountersLocation.directory(),
                ProcessHandle.current().pid()));
        return new WorkerSupervisor(launch, out, errors);
    }

    private static WorkerLaunch workerLaunch(final ServerSettings settings) {
        if (settings.workerCommand().isEmpty()) {
            throw new IllegalStateException("the " + settings.model().label() + " model starts worker processes "
                + "and needs the command that starts one (ServerSettings.workerCommand)");
        }
        final WorkerLaunch launch = new WorkerLaunch(settings.workerCommand())
            .workers(settings.workers())
            .workerArgs(settings.workerArgs())
            .countersPath(settings.publishCounters()
                ? CountersLocation.fileFor(ProcessHandle.current().pid()) : null);
        for (final InetSocketAddress address : settings.tcpAddresses()) {
            launch.tcp(address);
        }
        for (final InetSocketAddress address : settings.udpAddresses()) {
            launch.udp(address);
        }
        return launch;
    }
}
