package dev.ringside.engine.model;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How a supervisor starts its workers: how many, of which model, on which addresses, with which command line.
 *
 * <p>Each worker runs {@code <java> <this JVM's flags> -cp <this class path> <main class> --model MODEL
 * [--loops N] --worker-slot I --worker-counters FILE --worker-of PID --tcp ... --udp ... <worker arguments>}:
 * the same JVM, flags and code as the supervisor, so workers are measured like every other model. The process
 * model's workers serve with a thread per connection and write into the supervisor's counters file; the
 * prefork server's workers ({@code server --processes N}) run selector loops and each publishes a counters file
 * of its own ({@link #ownCountersFile}).
 */
public final class WorkerLaunch {
    /** Option that tells a server process it is worker {@code I} of a supervisor. */
    public static final String SLOT_OPTION = "--worker-slot";
    /** Option naming the supervisor's counters file, which a worker writes its own set into. */
    public static final String COUNTERS_OPTION = "--worker-counters";
    /** Option naming the supervisor's pid; a worker exits when it does. */
    public static final String PARENT_OPTION = "--worker-of";
    /** The model each worker of the process model serves with. */
    public static final ServerModel WORKER_MODEL = ServerModel.THREAD;
    private static final String WORKER_FILE_PREFIX = "worker-";
    private static final String WORKER_FILE_SUFFIX = ".counters";

    private final List<InetSocketAddress> tcpAddresses = new ArrayList<>();
    private final List<InetSocketAddress> udpAddresses = new ArrayList<>();
    private final List<String> javaCommand;
    private int workers = Runtime.getRuntime().availableProcessors();
    private ServerModel workerModel = WORKER_MODEL;
    private int workerLoops = 1;
    private File workerCountersDirectory;
    private boolean stopOnWorkerExit;
    private List<String> workerArgs = List.of();
    private File countersPath;
    private long startTimeoutNs = TimeUnit.SECONDS.toNanos(60);

    /**
     * @param javaCommand the command that starts a server process, up to and including its main class
     */
    public WorkerLaunch(final List<String> javaCommand) {
        this.javaCommand = List.copyOf(javaCommand);
    }

    /**
     * The command that starts a JVM like this one: same executable, same JVM flags (less a debugger agent,
     * whose port would clash), same class path.
     *
     * @param mainClass the class whose {@code main} runs a server
     * @return the command, ending with {@code mainClass}
     */
    public static List<String> currentJvm(final String mainClass) {
        final List<String> command = new ArrayList<>();
        command.add(new File(new File(System.getProperty("java.home"), "bin"), "java").getPath());
        for (final String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!flag.startsWith("-agentlib:jdwp") && !flag.startsWith("-Xrunjdwp")) {
                command.add(flag);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        return command;
    }

    /**
     * The command line of one worker.
     *
     * @param slot     the worker's number, from 0
     * @param tcp      TCP addresses to listen on
     * @param udp      UDP addresses to bind
     * @param counters the supervisor's counters file
     * @return the command
     */
    List<String> command(final int slot, final List<InetSocketAddress> tcp, final List<InetSocketAddress> udp,
        final File counters) {
        final List<String> command = new ArrayList<>(javaCommand);
        command.add("--model");
        command.add(workerModel.label());
        if (workerModel == ServerModel.MULTI) {
            command.add("--loops");
            command.add(Integer.toString(workerLoops));
        }
        command.add(SLOT_OPTION);
        command.add(Integer.toString(slot));
        command.add(COUNTERS_OPTION);
        command.add(counters.getAbsolutePath());
        command.add(PARENT_OPTION);
        command.add(Long.toString(ProcessHandle.current().pid()));
        for (final InetSocketAddress address : tcp) {
            command.add("--tcp");
            command.add(format(address));
        }
        for (final InetSocketAddress address : udp) {
            command.add("--udp");
            command.add(format(address));
        }
        command.addAll(workerArgs);
        return command;
    }

    static String format(final InetSocketAddress address) {
        final String host = address.getAddress() == null
            ? address.getHostString() : address.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /** @return how many worker processes */
    public int workers() {
        return workers;
    }

    /**
     * @param count worker processes, at least 1
     * @return this
     */
    public WorkerLaunch workers(final int count) {
        if (count < 1) {
            throw new IllegalArgumentException("--workers must be at least 1, got " + count);
        }
        this.workers = count;
        return this;
    }

    /** @return the model every worker serves with */
    public ServerModel workerModel() {
        return workerModel;
    }

    /** @return whether each worker publishes a counters file of its own (selector workers) */
    public boolean ownCounters() {
        return workerModel.isSelector();
    }

    /**
     * Chooses what the workers run: {@link #WORKER_MODEL} for the process model, or a selector model for the
     * prefork server.
     *
     * @param model a blocking model, or {@code selector} / {@code multi}
     * @param loops selector loops per worker ({@code multi} only)
     * @return this
     */
    public WorkerLaunch workerModel(final ServerModel model, final int loops) {
        if (loops < 1 || loops > 1 && model != ServerModel.MULTI) {
            throw new IllegalArgumentException("loops per worker: " + loops + " with model " + model.label());
        }
        this.workerModel = model;
        this.workerLoops = loops;
        return this;
    }

    /** @return selector loops per worker */
    public int workerLoops() {
        return workerLoops;
    }

    /** @return whether a worker that exits while the server runs stops the server (else the rest serve on) */
    public boolean stopOnWorkerExit() {
        return stopOnWorkerExit;
    }

    /**
     * @param stop whether a worker that exits while the server runs stops the server: the prefork server does,
     *             the process model reports it and serves on with the rest
     * @return this
     */
    public WorkerLaunch stopOnWorkerExit(final boolean stop) {
        this.stopOnWorkerExit = stop;
        return this;
    }

    /** @return where selector workers publish their own counters files, or {@code null} for a private place */
    public File workerCountersDirectory() {
        return workerCountersDirectory;
    }

    /**
     * @param directory where selector workers publish their counters files ({@link #ownCountersFile}), so that
     *                  {@code ringside stat} finds them beside the supervisor's file; {@code null} for a private
     *                  temporary directory
     * @return this
     */
    public WorkerLaunch workerCountersDirectory(final File directory) {
        this.workerCountersDirectory = directory;
        return this;
    }

    /**
     * The counters file a selector worker publishes: named by its slot, not its pid, so the supervisor and
     * {@code ringside stat} know where to look before the worker runs.
     *
     * @param directory the workers' counters directory
     * @param slot      the worker's number
     * @return the file
     */
    public static File ownCountersFile(final File directory, final int slot) {
        return new File(directory, WORKER_FILE_PREFIX + slot + WORKER_FILE_SUFFIX);
    }

    /**
     * @param fileName a file name in a workers' counters directory
     * @return the worker slot it belongs to, or -1 when it is not a worker's counters file
     */
    public static int slotOf(final String fileName) {
        if (!fileName.startsWith(WORKER_FILE_PREFIX) || !fileName.endsWith(WORKER_FILE_SUFFIX)) {
            return -1;
        }
        try {
            final int slot = Integer.parseInt(
                fileName.substring(WORKER_FILE_PREFIX.length(), fileName.length() - WORKER_FILE_SUFFIX.length()));
            return slot >= 0 ? slot : -1;
        } catch (final NumberFormatException ex) {
            return -1;
        }
    }

    /** @return TCP addresses (port 0: the first worker picks, the others share its port) */
    public List<InetSocketAddress> tcpAddresses() {
        return tcpAddresses;
    }

    /** @return UDP addresses */
    public List<InetSocketAddress> udpAddresses() {
        return udpAddresses;
    }

    /**
     * @param address a TCP listener
     * @return this
     */
    public WorkerLaunch tcp(final InetSocketAddress address) {
        tcpAddresses.add(address);
        return this;
    }

    /**
     * @param address a UDP endpoint
     * @return this
     */
    public WorkerLaunch udp(final InetSocketAddress address) {
        udpAddresses.add(address);
        return this;
    }

    /** @return arguments passed on to every worker (protocol and its options, ring and pool sizes, ...) */
    public List<String> workerArgs() {
        return workerArgs;
    }

    /**
     * @param args arguments for every worker's {@code server} command, without model or address options
     * @return this
     */
    public WorkerLaunch workerArgs(final List<String> args) {
        this.workerArgs = List.copyOf(args);
        return this;
    }

    /** @return where to publish the counters, or {@code null} for a private temporary file */
    public File countersPath() {
        return countersPath;
    }

    /**
     * @param path where to publish counters for {@code ringside stat}, or {@code null} not to
     * @return this
     */
    public WorkerLaunch countersPath(final File path) {
        this.countersPath = path;
        return this;
    }

    /** @return how long a worker may take to start listening */
    public long startTimeoutNs() {
        return startTimeoutNs;
    }

    /**
     * @param timeoutNs how long a worker may take to start listening
     * @return this
     */
    public WorkerLaunch startTimeoutNs(final long timeoutNs) {
        this.startTimeoutNs = timeoutNs;
        return this;
    }
}
