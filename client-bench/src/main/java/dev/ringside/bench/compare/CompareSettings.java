package dev.ringside.bench.compare;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.ringside.bench.driver.BenchSettings;
import dev.ringside.engine.model.ServerModel;
import dev.ringside.engine.protocol.ProtocolSpec;
import dev.ringside.engine.protocol.SizeRule;

/**
 * What {@code ringside compare} runs: the models, the connection counts, the one load every cell gets, the
 * model options, the server JVM and the CPU pinning. {@link #validate()} fails fast with one line saying
 * what to change.
 */
public final class CompareSettings {
    /**
     * Ring capacity unless the protocol's default limits need more (its {@code ServerSide.minRingBytes}): a
     * blocking connection holds two rings for life.
     */
    static final int SMALL_RING_BYTES = 4 * 1024;
    /** The server's default pool, used unless the largest cell's blocking rings need more. */
    static final long MIN_POOL_BYTES = 256L * 1024 * 1024;
    /** This machine's CPUs, seen before any pinning: the default for threads, workers and loops. */
    static final int CPUS = Runtime.getRuntime().availableProcessors();

    private final List<ServerModel> models = new ArrayList<>();
    private final List<Integer> connections = new ArrayList<>();
    private Map<String, List<String>> serverOptions = Map.of();
    /** The load every cell gets, but for its target and connections: compare's options made bench settings. */
    private BenchSettings load = new BenchSettings().rate(20_000);
    private Integer threads;
    private Integer workers;
    private Integer loops;
    private int ringCapacityBytes;
    private String java = ServerChild.currentJava();
    private boolean pin = true;
    private String serverCpus = "0";
    private String generatorCpus = CpuPinning.allButFirst();

    /** @return the models, in the order given */
    public List<ServerModel> models() {
        return models;
    }

    /**
     * @param list models in the order the table shows them
     * @return this
     */
    public CompareSettings models(final List<ServerModel> list) {
        models.clear();
        models.addAll(list);
        return this;
    }

    /** @return the connection counts, in the order given */
    public List<Integer> connections() {
        return connections;
    }

    /**
     * @param list connection counts
     * @return this
     */
    public CompareSettings connections(final List<Integer> list) {
        connections.clear();
        connections.addAll(list);
        return this;
    }

    /** @return the protocol */
    public ProtocolSpec protocol() {
        return load.protocol();
    }

    /**
     * @param value the protocol every model serves and the generator speaks, its options at their defaults
     * @return this
     */
    public CompareSettings protocol(final ProtocolSpec value) {
        serverOptions = Map.of();
        load.protocol(value);
        return this;
    }

    /**
     * @param server the protocol's server options as typed (each long name with its texts; a switch has
     *               "true"), passed on to every server
     * @param cell   the load every cell gets (the protocol and its client options, rate, size, duration, warm-up,
     *               timeout and generator threads), but for its target and connections, which each cell sets
     * @return this
     */
    public CompareSettings load(final Map<String, List<String>> server, final BenchSettings cell) {
        this.serverOptions = Map.copyOf(server);
        this.load = cell.copy();
        return this;
    }

    /** @return the measurement window per cell */
    public long durationNs() {
        return load.durationNs();
    }

    /** @return the warm-up per cell */
    public long warmupNs() {
        return load.warmupNs();
    }

    /**
     * @param poolThreads  pool: {@code --threads}, or {@code null} for the server's default
     * @param processes    process: {@code --workers}, or {@code null}
     * @param selectors    multi: {@code --loops}, or {@code null}
     * @return this
     */
    public CompareSettings modelOptions(final Integer poolThreads, final Integer processes, final Integer selectors) {
        this.threads = poolThreads;
        this.workers = processes;
        this.loops = selectors;
        return this;
    }

    /**
     * @param bytes ring capacity for every model, or 0 for the protocol's default
     * @return this
     */
    public CompareSettings ringCapacityBytes(final int bytes) {
        this.ringCapacityBytes = bytes;
        return this;
    }

    /** @return the ring capacity every server gets */
    public int ringCapacityBytes() {
        if (ringCapacityBytes > 0) {
            return ringCapacityBytes;
        }
        return Math.max(SMALL_RING_BYTES, load.protocol().server().orElseThrow().minRingBytes());
    }

    /** @return the ring pool every server gets: room for two rings per connection of the largest cell, twice */
    public long poolBytes() {
        long most = 1;
        for (final int count : connections) {
            most = Math.max(most, count);
        }
        return Math.max(MIN_POOL_BYTES, 4L * ringCapacityBytes() * most);
    }

    /** @return the {@code java} that runs every server */
    public String java() {
        return java;
    }

    /**
     * @param path the {@code java} executable for the servers (a JDK 21+ one lets virtual run)
     * @return this
     */
    public CompareSettings java(final String path) {
        this.java = path;
        return this;
    }

    /**
     * @param enabled   whether to pin (when taskset exists and there are two CPUs)
     * @param server    CPU list for the server processes
     * @param generator CPU list for the generator's loop threads
     * @return this
     */
    public CompareSettings pinning(final boolean enabled, final String server, final String generator) {
        this.pin = enabled;
        this.serverCpus = server;
        this.generatorCpus = generator;
        return this;
    }

    /** @return whether servers and generator are pinned apart */
    public boolean pinned() {
        return pin && CpuPinning.available();
    }

    /** @return the servers' CPU list */
    public String serverCpus() {
        return serverCpus;
    }

    /** @return the generator loop threads' CPU list */
    public String generatorCpus() {
        return generatorCpus;
    }

    /** @return how the CPUs are shared, in one sentence */
    public String pinningDescription() {
        if (pinned()) {
            return "server pinned to CPU " + serverCpus + " (taskset -c " + serverCpus + "; the process model's "
                + "workers inherit it), generator loop thread(s) to CPU " + generatorCpus + " (taskset -p -c "
                + generatorCpus + " once running)";
        }
        return !pin ? "not pinned (--no-pin): server and generator share every CPU"
            : "not pinned (no taskset, or a single CPU): server and generator share every CPU";
    }

    /**
     * @param model a model
     * @return its server: the protocol and its server options, this comparison's rings, and the model's size
     */
    public ServerLaunch server(final ServerModel model) {
        // The size always explicit: a server pinned to one CPU sees availableProcessors() == 1, and its own
        // defaults would quietly shrink multi to one loop and process to one worker.
        final int size = model == ServerModel.POOL ? threads() : model == ServerModel.PROCESS ? workers()
            : model == ServerModel.MULTI ? loops() : 0;
        return new ServerLaunch(model, load.protocol().name(), serverOptions, size, 0, ringCapacityBytes(),
            poolBytes(), "1s");
    }

    /**
     * The whole command that starts one model's server: pinned when pinning, then {@code java ... ringside}.
     *
     * @param model the model
     * @return the command
     */
    public List<String> serverCommand(final ServerModel model) {
        return server(model).command(java, pinned() ? serverCpus : null);
    }

    /** @return pool threads: as given, or the CPUs of this machine */
    public int threads() {
        return threads != null ? threads : CPUS;
    }

    /** @return process workers: as given, or the CPUs of this machine */
    public int workers() {
        return workers != null ? workers : CPUS;
    }

    /** @return multi loops: as given, or the CPUs of this machine */
    public int loops() {
        return loops != null ? loops : CPUS;
    }

    /**
     * The load one cell gets.
     *
     * @param target      the server
     * @param connections the cell's connection count
     * @return validated bench settings
     */
    public BenchSettings bench(final InetSocketAddress target, final int connections) {
        return bench(target, connections, load.rate());
    }

    /**
     * The load one step of a cell's sweep gets.
     *
     * @param target      the server
     * @param connections the cell's connection count
     * @param stepRate    the step's total messages per second
     * @return validated bench settings
     */
    public BenchSettings bench(final InetSocketAddress target, final int connections, final double stepRate) {
        return load.copy().target(target).connections(connections).rate(stepRate)
            .threads(Math.min(load.threads(), connections)).validate();
    }

    /**
     * Checks everything that can be checked before a server starts.
     *
     * @return this
     * @throws IllegalArgumentException saying what to change
     */
    public CompareSettings validate() {
        if (models.isEmpty()) {
            throw new IllegalArgumentException("--models needs at least one model");
        }
        for (int i = 0; i < models.size(); i++) {
            if (models.indexOf(models.get(i)) != i) {
                throw new IllegalArgumentException("--models names " + models.get(i).label() + " twice");
            }
        }
        if (!(load.rate() > 0) || Double.isInfinite(load.rate())) {
            throw new IllegalArgumentException("--rate must be a positive number of messages per second, got "
                + load.rate());
        }
        if (connections.isEmpty()) {
            throw new IllegalArgumentException("--connections needs at least one count, e.g. 10,100,1000");
        }
        for (int i = 0; i < connections.size(); i++) {
            if (connections.get(i) < 1) {
                throw new IllegalArgumentException("--connections must be at least 1, got " + connections.get(i));
            }
            if (connections.indexOf(connections.get(i)) != i) {
                throw new IllegalArgumentException("--connections names " + connections.get(i) + " twice");
            }
        }
        if (threads != null && !models.contains(ServerModel.POOL)) {
            throw new IllegalArgumentException("--threads goes with the pool model; add pool to --models or drop it");
        }
        if (workers != null && !models.contains(ServerModel.PROCESS)) {
            throw new IllegalArgumentException("--workers goes with the process model; add process to --models or "
                + "drop it");
        }
        if (loops != null && !models.contains(ServerModel.MULTI)) {
            throw new IllegalArgumentException("--loops goes with the multi model; add multi to --models or drop it");
        }
        for (final Integer count : new Integer[] {threads, workers, loops}) {
            if (count != null && count < 1) {
                throw new IllegalArgumentException("--threads, --workers and --loops must be at least 1, got " + count);
            }
        }
        if (load.threads() < 1) {
            throw new IllegalArgumentException("--generator-threads must be at least 1, got " + load.threads());
        }
        if (!Files.isExecutable(Path.of(java)) || Files.isDirectory(Path.of(java))) {
            throw new IllegalArgumentException("--java " + java + " is not an executable file (give the path of a "
                + "java binary, e.g. /usr/lib/jvm/temurin-25-jdk-amd64/bin/java)");
        }
        final int ring = ringCapacityBytes();
        if (Integer.bitCount(ring) != 1 || ring < 64) {
            throw new IllegalArgumentException("--ring-capacity must be a power of two of at least 64 bytes, got "
                + ring);
        }
        final SizeRule rule = load.protocol().size();
        if (rule.applies() && rule.wholeInRing() && load.size() + rule.headerBytes() > ring) {
            throw new IllegalArgumentException("--size " + load.size() + " with its header must fit --ring-capacity ("
                + ring + " bytes): a frame is held whole in a ring; raise --ring-capacity or lower --size");
        }
        for (final int count : connections) {
            // The generator's own checks (rate, size for the protocol, chat's two members, ...), one line each.
            bench(new InetSocketAddress("127.0.0.1", 1), count);
        }
        return this;
    }

    /** @return the settings as label/value pairs, for the report header and the JSON */
    public Map<String, String> parameters() {
        final Map<String, String> map = new LinkedHashMap<>();
        final List<String> names = new ArrayList<>();
        for (final ServerModel model : models) {
            names.add(model.label());
        }
        map.put("models", String.join(",", names));
        map.put("protocol", load.protocol().name() + " (tcp)");
        final List<String> counts = new ArrayList<>();
        for (final int count : connections) {
            counts.add(Integer.toString(count));
        }
        map.put("connections", String.join(",", counts));
        map.put("load", "open loop, " + number(load.rate()) + " msg/s in total, whatever the connection count");
        final String request = bench(new InetSocketAddress("127.0.0.1", 1), connections.get(0)).codecs()
            .describeRequest();
        map.put("size", request != null ? request : load.size() + " B");
        map.put("duration", number(load.durationNs() / 1e9) + " s per cell (+" + number(load.warmupNs() / 1e9)
            + " s warm-up)");
        map.put("reply timeout", number(load.timeoutNs() / 1e9) + " s");
        map.put("generator", load.threads() + (load.threads() == 1 ? " thread" : " threads")
            + " in the compare process");
        final String options = modelOptions();
        if (!options.isEmpty()) {
            map.put("model options", options);
        }
        map.put("server rings", "--ring-capacity " + ringCapacityBytes() + " --pool-size " + poolBytes());
        map.put("server java", java);
        map.put("pinning", pinningDescription());
        return map;
    }

    /** @return the options of the models that run and take one, e.g. {@code pool --threads 2}; empty if none */
    String modelOptions() {
        final List<String> options = new ArrayList<>();
        if (models.contains(ServerModel.POOL)) {
            options.add("pool --threads " + threads());
        }
        if (models.contains(ServerModel.PROCESS)) {
            options.add("process --workers " + workers());
        }
        if (models.contains(ServerModel.MULTI)) {
            options.add("multi --loops " + loops());
        }
        return String.join(", ", options);
    }

    /**
     * The settings for the JSON document: camelCase keys, numbers as numbers, units in the key names.
     *
     * @return key to value
     */
    public Map<String, Object> jsonParameters() {
        final Map<String, Object> map = new LinkedHashMap<>();
        final List<String> names = new ArrayList<>();
        for (final ServerModel model : models) {
            names.add(model.label());
        }
        map.put("models", names);
        map.put("protocol", load.protocol().name());
        map.put("transport", "tcp");
        map.put("connections", List.copyOf(connections));
        map.put("rateTarget", load.rate());
        map.put("sizeBytes", load.size());
        map.put("durationS", load.durationNs() / 1e9);
        map.put("warmupS", load.warmupNs() / 1e9);
        map.put("timeoutS", load.timeoutNs() / 1e9);
        map.put("generatorThreads", load.threads());
        map.put("poolThreads", threads());
        map.put("processWorkers", workers());
        map.put("multiLoops", loops());
        map.put("ringCapacityBytes", ringCapacityBytes());
        map.put("poolBytes", poolBytes());
        map.put("serverJava", java);
        map.put("pinned", pinned());
        map.put("serverCpus", pinned() ? serverCpus() : null);
        map.put("generatorCpus", pinned() ? generatorCpus() : null);
        return map;
    }

    private static String number(final double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.3f", value);
    }
}
