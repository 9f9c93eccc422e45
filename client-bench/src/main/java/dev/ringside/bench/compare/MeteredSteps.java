package dev.ringside.bench.compare;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import dev.ringside.bench.record.IntervalListener;
import dev.ringside.bench.sweep.BenchStepRunner;
import dev.ringside.bench.sweep.StepJudge;
import dev.ringside.bench.sweep.StepRunner;
import dev.ringside.bench.sweep.SweepStep;

/**
 * The steps of one {@code compare --sweep} cell: each a bench run against the cell's server child (pinned as
 * compare pins), with a fresh {@link ServerCostMeter} on the server's process tree for that step alone, whose
 * figures (CPU per reply and percent over the step's window, most memory and threads during the step) go
 * into the step. A step that was interrupted is left out, as {@link BenchStepRunner} leaves it.
 */
final class MeteredSteps implements StepRunner {
    private final BenchStepRunner steps;
    private final CompareSettings settings;
    private final ServerChild child;
    private final PrintStream progress;
    private ServerCostMeter meter;

    /**
     * @param settings    validated compare settings
     * @param child       the cell's server, listening
     * @param connections connections per step
     * @param judge       judges each step
     * @param progress    where the generator's own errors and the pinning line go
     */
    MeteredSteps(final CompareSettings settings, final ServerChild child, final int connections,
        final StepJudge judge, final PrintStream progress) {
        this.settings = settings;
        this.child = child;
        this.progress = progress;
        this.steps = new BenchStepRunner(rate -> settings.bench(child.address(), connections, rate), judge,
            this::listeners, progress, false);
    }

    /**
     * @param signal what interrupted the sweep
     * @see BenchStepRunner#interrupt
     */
    void interrupt(final String signal) {
        steps.interrupt(signal);
    }

    /** @return the signal that stopped the sweep; {@code null} when none did */
    String interruptedBy() {
        return steps.interruptedBy();
    }

    @Override
    public SweepStep run(final double rate) throws InterruptedException {
        meter = null;
        final SweepStep step = steps.run(rate);
        if (step == null || meter == null) {
            return step;
        }
        meter.finish();
        return step.withServer(meter.cost());
    }

    /** Called by the step runner as each step starts: the meter's first sample is the step's start. */
    private List<IntervalListener> listeners() {
        meter = new ServerCostMeter(new ProcessTree(child.pid()), settings.warmupNs() / 1e9,
            settings.durationNs() / 1e9);
        final List<IntervalListener> listeners = new ArrayList<>();
        listeners.add(meter);
        if (settings.pinned()) {
            listeners.add(CpuPinning.onFirstInterval(settings.generatorCpus(), progress));
        }
        return listeners;
    }
}
