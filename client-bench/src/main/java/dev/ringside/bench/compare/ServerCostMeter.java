package dev.ringside.bench.compare;

import dev.ringside.bench.record.IntervalListener;
import dev.ringside.bench.record.IntervalSample;
import dev.ringside.bench.sweep.ServerCost;

/**
 * Measures what a server process tree spends while the load generator drives it: at every interval of the
 * run (each second, and exactly at the start and end of the measurement window) it samples the tree, so
 * the server's CPU time over the measured window can be divided by the replies of that same window.
 * Threads and peak memory are taken at every sample and once more at the end. Context switches, which cost
 * a file read per server thread, are read only at the two ends of the window.
 */
public final class ServerCostMeter implements IntervalListener {
    /** Ticks fall exactly on the window's ends; this absorbs rounding in the summed interval lengths. */
    private static final double BOUNDARY_S = 1e-3;
    private final ProcessTree tree;
    private final double warmupS;
    private final double windowS;
    private double warmupSeenS;
    private long switchesAtWindowStart;
    private long switchesAtWindowEnd = -1;
    private long cpuAtWindowStartNs;
    private long cpuAtWindowEndNs = -1;
    private long measuredReplies;
    private double measuredSeconds;
    private int processesAtWindowStart;
    private boolean processesLeft;

    /**
     * Takes the first sample now, so a run without warm-up measures from here.
     *
     * @param tree    the server's process tree
     * @param warmupS the run's warm-up, in seconds
     * @param windowS the run's measurement window, in seconds
     */
    public ServerCostMeter(final ProcessTree tree, final double warmupS, final double windowS) {
        this.tree = tree;
        this.warmupS = warmupS;
        this.windowS = windowS;
        switchesAtWindowStart = tree.contextSwitches();
        final ProcessTree.Sample first = tree.sample();
        cpuAtWindowStartNs = first.cpuNs();
        processesAtWindowStart = first.processes();
    }

    @Override
    public void onInterval(final IntervalSample sample) {
        final ProcessTree.Sample now = tree.sample();
        switch (sample.phase()) {
            case CONNECTING, WARMUP -> {
                // The last of these falls exactly on the start of the measurement window.
                cpuAtWindowStartNs = now.cpuNs();
                processesAtWindowStart = now.processes();
                if (sample.phase() == IntervalSample.Phase.WARMUP) {
                    warmupSeenS += sample.intervalS();
                }
                if (warmupSeenS >= warmupS - BOUNDARY_S) {
                    switchesAtWindowStart = tree.contextSwitches();
                }
            }
            case MEASURING -> {
                cpuAtWindowEndNs = now.cpuNs();
                measuredReplies += sample.completed();
                measuredSeconds += sample.intervalS();
                if (measuredSeconds >= windowS - BOUNDARY_S && switchesAtWindowEnd < 0) {
                    switchesAtWindowEnd = tree.contextSwitches();
                }
                if (now.processes() < processesAtWindowStart) {
                    processesLeft = true;
                }
            }
            default -> {
            }
        }
    }

    /** Samples once more (after the drain, before the server is stopped) for threads and memory. */
    public void finish() {
        tree.sample();
    }

    /** @return server CPU time over the measurement window, in nanoseconds; -1 when no window was measured */
    public long windowCpuNs() {
        return cpuAtWindowEndNs < 0 ? -1 : Math.max(0, cpuAtWindowEndNs - cpuAtWindowStartNs);
    }

    /** @return replies received in the measurement window */
    public long measuredReplies() {
        return measuredReplies;
    }

    /** @return length of the measurement window, in seconds */
    public double measuredSeconds() {
        return measuredSeconds;
    }

    /** @return server CPU time per reply over the window, in microseconds; NaN without replies */
    public double cpuUsPerMessage() {
        final long cpuNs = windowCpuNs();
        return cpuNs < 0 || measuredReplies == 0 ? Double.NaN : cpuNs / 1000.0 / measuredReplies;
    }

    /** @return server CPU use over the window, in percent of one CPU; NaN when no window was measured */
    public double cpuPercent() {
        final long cpuNs = windowCpuNs();
        return cpuNs < 0 || measuredSeconds <= 0 ? Double.NaN : 100.0 * cpuNs / 1e9 / measuredSeconds;
    }

    /** @return server context switches per reply over the window; NaN when unknown */
    public double contextSwitchesPerMessage() {
        if (switchesAtWindowEnd < 0 || measuredReplies == 0) {
            return Double.NaN;
        }
        return Math.max(0, switchesAtWindowEnd - switchesAtWindowStart) / (double) measuredReplies;
    }

    /** @return whether a process of the tree exited during the window (its CPU time then went uncounted) */
    public boolean processesLeft() {
        return processesLeft;
    }

    /**
     * @return CPU per reply and percent over the window, and the most resident memory and threads of the
     *         samples this meter's tree took (its own lifetime: one step of a sweep)
     */
    public ServerCost cost() {
        return new ServerCost(cpuUsPerMessage(), cpuPercent(), tree.maxRssBytes(),
            tree.maxProcesses() == 0 ? -1 : tree.maxThreads());
    }

    /** @return the tree */
    public ProcessTree tree() {
        return tree;
    }
}
