package dev.ringside.bench.sweep;

/**
 * Runs one step of a sweep at a rate and judges it. The sweep and the search know steps only through this,
 * so their maths is tested with a fake and runs unchanged against a real server.
 */
@FunctionalInterface
public interface StepRunner {
    /**
     * @param rate messages per second, open loop
     * @return the step, judged; {@code null} when the step was interrupted (a signal): it is left out and the
     *         sweep stops, keeping the steps that finished
     * @throws InterruptedException when interrupted
     */
    SweepStep run(double rate) throws InterruptedException;
}
