package dev.ringside.bench.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.ringside.bench.driver.BenchSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Sweep and search against a server of known capacity ({@link ServiceTimeServer}: 1 ms per request, so
 * 1,000 msg/s), over real loopback sockets. Steps
 * are short (0.3 s warm-up, 2 s window: a 1 s window let one 0.11 s stall of a loaded machine sink a step at
 * 30% of capacity below 90% of its rate) to keep {@code mvn verify} quick; the tolerances (15%) hold on a
 * loaded 2-core machine because the server's capacity does not depend on how much CPU its threads get.
 */
class KneeTest {
    private static final long SERVICE_NS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final double CAPACITY = 1e9 / SERVICE_NS;
    private static final int SIZE = 64;
    private static final double P50_LIMIT_US = 100_000;

    private static BenchSettings settings(final InetSocketAddress target, final double rate) {
        return new BenchSettings().target(target).connections(10).rate(rate).size(SIZE)
            .warmupNs(TimeUnit.MILLISECONDS.toNanos(300)).durationNs(TimeUnit.SECONDS.toNanos(2))
            .timeoutNs(TimeUnit.MILLISECONDS.toNanos(500)).validate();
    }

    private static BenchStepRunner runner(final InetSocketAddress target, final Objectives objectives) {
        return new BenchStepRunner(rate -> settings(target, rate), new StepJudge(objectives), List::of,
            new PrintStream(PrintStream.nullOutputStream()), false);
    }

    /**
     * The median at most 100 ms. A median, not a tail: on a loaded 2-core machine a stall of a few hundred ms
     * in a 2.3 s step moves the p99 but not the median; past capacity the backlog moves the median. At 15%
     * over capacity the backlog grows by 150 ms a second, and the window's median sample is
     * about 1.3 s into the load: ~195 ms, a miss; at 5% over it is ~65 ms. So the answer lies between the
     * stalls' floor and about 1.08 times capacity.
     */
    private static final Objectives P50 = Objectives.parse(List.of("p50=100ms"));

    // Catches: a sweep that runs every rate whatever happens (4800 would run), or a step whose achieved rate
    // is not measured from its own window (the overloaded step would not show the capacity).
    @Test
    @Timeout(120)
    void shouldFindTheCapacityAndStopAfterTheOverloadedStep() throws Exception {
        try (ServiceTimeServer server = new ServiceTimeServer(SERVICE_NS, SIZE)) {
            final List<SweepStep> steps = Sweep.run(runner(server.address(), Objectives.NONE),
                List.of(300.0, 600.0, 2400.0, 4800.0), step -> { });
            final List<Double> ran = new ArrayList<>();
            double most = 0;
            for (final SweepStep step : steps) {
                ran.add(step.targetRate());
                most = Math.max(most, step.achievedRate());
            }
            final List<String> verdicts = new ArrayList<>();
            for (final SweepStep step : steps) {
                verdicts.add(step.targetRate() + ": " + step.verdict());
            }
            // 30% and 60% of capacity leave room to catch up after a stall of a loaded machine.
            assertEquals(List.of(300.0, 600.0, 2400.0), ran, "4800 must not run after 2400 overloaded: " + verdicts);
            assertTrue(steps.get(0).met() && steps.get(1).met(), verdicts.toString());
            assertTrue(steps.get(2).overloaded(), steps.get(2).verdict());
            assertEquals(CAPACITY, most, 0.15 * CAPACITY, "the most it achieved is its capacity");
            // 1,400 msg/s more than it can serve for 2.3 s: a backlog of over a second by the end.
            assertTrue(steps.get(2).latency("p99") > 300_000, "latency explodes past the knee: " + verdicts);
            final SweepOutcome outcome = new SweepOutcome(List.of("ringside", "sweep"), "test", Map.of(), "none",
                Map.of(), List.of(300.0, 600.0, 2400.0, 4800.0), steps, null, null);
            assertTrue(outcome.stoppedEarly().startsWith("stopped after 2.4k msg/s"), outcome.stoppedEarly());
            assertTrue(SweepReport.render(outcome).contains("Latency vs throughput"));
        }
    }

    // Catches: a search that stops at the grid (the answer would be 600) or trusts an overloaded step.
    @Test
    @Timeout(180)
    void shouldFindTheHighestRateUnderTheSloNearTheCapacity() throws Exception {
        try (ServiceTimeServer server = new ServiceTimeServer(SERVICE_NS, SIZE)) {
            final SearchResult result = new SloSearch(runner(server.address(), P50), 0.05, step -> { }).run(
                List.of(300.0, 600.0, 2400.0, 4800.0));
            assertTrue(result.bracketed(), result.conclusion());
            // Above: within 15% of the capacity. Below: 30%, because at a load average of 30 (seen on the build
            // machine) the server's threads read late and leave slots unused (813 msg/s found, 849 achieved 681);
            // still well above the bracket's lower step (600), where a search that stops at the first miss lands.
            assertTrue(result.highestRate() <= 1.15 * CAPACITY && result.highestRate() >= 0.7 * CAPACITY,
                result.conclusion());
            assertFalse(result.steps().stream().anyMatch(step -> step.targetRate() == 4800.0), "stopped early");
            assertTrue(result.met().latency("p50") <= P50_LIMIT_US);
        }
    }
}
