package dev.ringside.bench.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.DoublePredicate;

import org.junit.jupiter.api.Test;

/**
 * The search's maths against a fake server whose p99 is known at every rate: a queue with capacity
 * {@code C} and service time {@code S}, p99 = S / (1 − rate / C), held to p99 ≤ 1 ms. With S = 100 µs and
 * C = 50k msg/s the true answer is the rate where S / (1 − ρ) = 1 ms: ρ = 0.9, 45k msg/s.
 */
class SloSearchTest {
    private static final double CAPACITY = 50_000;
    private static final double SERVICE_US = 100;
    private static final double LIMIT_US = 1000;
    private static final double KNEE = CAPACITY * (1 - SERVICE_US / LIMIT_US);

    /** A fake runner: the queue's p99, times a noise factor, a blip at some rates, a duty cycle. */
    private static final class FakeServer implements StepRunner {
        private final List<Double> ran = new ArrayList<>();
        private final Random random = new Random(42);
        private double noise;
        private DoublePredicate blip = rate -> false;
        private double dutyAtCapacity = Double.NaN;
        /** Steps that finish before a signal: the next is interrupted (null), as is every later one. */
        private int finishBeforeSignal = Integer.MAX_VALUE;

        @Override
        public SweepStep run(final double rate) {
            ran.add(rate);
            if (ran.size() > finishBeforeSignal) {
                return null;
            }
            final double achieved = Math.min(rate, CAPACITY);
            double p99 = rate >= CAPACITY ? 1e6 : SERVICE_US / (1 - rate / CAPACITY);
            p99 *= 1 + noise * (2 * random.nextDouble() - 1);
            if (blip.test(rate)) {
                p99 = 3 * LIMIT_US;
            }
            final List<String> misses = new ArrayList<>();
            String overload = null;
            if (achieved < StepJudge.RATE_FLOOR * rate) {
                misses.add("achieved " + achieved);
                overload = "achieved " + achieved;
            }
            if (p99 > LIMIT_US) {
                misses.add("p99 " + p99 + " > " + LIMIT_US);
                if (p99 >= 4 * LIMIT_US && overload == null) {
                    overload = "p99 " + p99;
                }
            }
            return new SweepStep(rate, achieved, Map.of("p99", p99), 0, dutyAtCapacity * rate / CAPACITY,
                List.copyOf(misses), overload, null, null, null);
        }
    }

    // Catches: bisecting at the arithmetic instead of the bracket's own ends, or stopping a step early
    // (then met/missed would not straddle the knee within the resolution).
    @Test
    void shouldBracketThenBisectToTheResolutionOnAMonotoneResponse() throws InterruptedException {
        final FakeServer server = new FakeServer();
        final SearchResult result = new SloSearch(server, 0.02, step -> { }).run(
            RateSeries.geometric(10_000, 160_000, 5));
        assertTrue(result.bracketed() && result.resolved(), result.conclusion());
        assertTrue(result.met().targetRate() <= KNEE && result.missed().targetRate() > KNEE, result.conclusion());
        assertTrue(result.missed().targetRate() / result.met().targetRate() <= 1.02 + 1e-3, result.conclusion());
        // 10k, 20k, 40k met; 80k is overloaded (achieved 62%), so 160k never runs.
        assertEquals(List.of(10_000.0, 20_000.0, 40_000.0, 80_000.0), server.ran.subList(0, 4));
        assertFalse(server.ran.contains(160_000.0), "stopped after the overloaded step");
        // 40k..80k is a factor of 2: log(2)/log(1.02) = 35 -> 6 halvings of the exponent.
        assertTrue(server.ran.size() - 4 <= 6, "bisections: " + server.ran);
        assertTrue(result.anomalies().isEmpty());
        assertTrue(result.conclusion().startsWith("Highest rate meeting every objective: " + RateSeries.format(
            result.met().targetRate()) + " msg/s"), result.conclusion());
    }

    // Catches: an answer taken as the neighbour of the first miss (it would be 10k, below the blip at 20k).
    @Test
    void shouldLookPastAOneOffMissBelowTheKneeAndReportIt() throws InterruptedException {
        final FakeServer server = new FakeServer();
        server.blip = rate -> rate == 20_000;
        final SearchResult result = new SloSearch(server, 0.02, step -> { }).run(
            RateSeries.geometric(10_000, 160_000, 5));
        assertTrue(result.met().targetRate() <= KNEE && result.met().targetRate() >= KNEE / 1.02,
            result.conclusion());
        assertEquals(1, result.anomalies().size());
        assertEquals(20_000.0, result.anomalies().get(0).targetRate());
        assertTrue(result.conclusion().contains("Not monotone: 20k msg/s"), result.conclusion());
    }

    // Catches: trusting the last step run rather than the highest rate seen to meet (a noisy miss during
    // bisection must never make the answer a rate that was not met).
    @Test
    void shouldAnswerWithinTheNoiseAndOnlyWithARateThatMet() throws InterruptedException {
        for (int round = 0; round < 20; round++) {
            final FakeServer server = new FakeServer();
            server.noise = 0.1;
            server.random.setSeed(round);
            final SearchResult result = new SloSearch(server, 0.02, step -> { }).run(
                RateSeries.geometric(10_000, 160_000, 5));
            assertTrue(result.met().met());
            // ±10% on latency moves the crossing of 1 ms between rho = 0.889 and 0.909: 44.4k..45.5k.
            final double lowest = CAPACITY * (1 - 1.1 * SERVICE_US / LIMIT_US);
            final double highest = CAPACITY * (1 - 0.9 * SERVICE_US / LIMIT_US);
            assertTrue(result.met().targetRate() >= lowest / 1.02 && result.met().targetRate() <= highest,
                "round " + round + ": " + result.conclusion());
        }
    }

    @Test
    void shouldSayWhenTheAnswerIsAboveOrBelowTheRates() throws InterruptedException {
        final SearchResult above = new SloSearch(new FakeServer(), 0.02, step -> { }).run(List.of(5_000.0,
            10_000.0));
        assertNull(above.missed());
        assertEquals(10_000.0, above.highestRate());
        assertTrue(above.conclusion().contains("Raise --rates"), above.conclusion());
        final FakeServer busy = new FakeServer();
        final SearchResult below = new SloSearch(busy, 0.02, step -> { }).run(List.of(48_000.0, 49_000.0));
        assertNull(below.met());
        assertEquals(0, below.highestRate());
        assertTrue(below.conclusion().contains("Lower --rates"), below.conclusion());
    }

    // Catches: a generator-limited verdict read from the wrong step (the answer rather than the miss above).
    @Test
    void shouldSayWhenTheGeneratorNotTheServerSetTheLimit() throws InterruptedException {
        final FakeServer server = new FakeServer();
        server.dutyAtCapacity = 1.0;
        final SearchResult limited = new SloSearch(server, 0.02, step -> { }).run(
            RateSeries.geometric(10_000, 160_000, 5));
        assertNotNull(limited.missed());
        assertTrue(limited.missed().generatorBound() && limited.generatorLimited(), limited.conclusion());
        assertTrue(limited.conclusion().contains("the generator, not the server, limits this answer"),
            limited.conclusion());
        final FakeServer idle = new FakeServer();
        idle.dutyAtCapacity = 0.5;
        final SearchResult server2 = new SloSearch(idle, 0.02, step -> { }).run(
            RateSeries.geometric(10_000, 160_000, 5));
        assertFalse(server2.generatorLimited());
        assertTrue(server2.conclusion().contains("the server, not the generator, sets this limit"),
            server2.conclusion());
    }

    // Catches: a sweep that runs on past an interrupted step (the rates after it would run), one that keeps the
    // interrupted step (a null among the steps), or a search that bisects after the signal.
    @Test
    void shouldKeepTheFinishedStepsAndRunNoMoreWhenAStepIsInterrupted() throws InterruptedException {
        final FakeServer sweep = new FakeServer();
        sweep.finishBeforeSignal = 2;
        final List<SweepStep> steps = Sweep.run(sweep, RateSeries.geometric(10_000, 160_000, 5), step -> { });
        assertEquals(List.of(10_000.0, 20_000.0), steps.stream().map(SweepStep::targetRate).toList());
        assertEquals(3, sweep.ran.size(), "nothing runs after the interrupted step: " + sweep.ran);

        final FakeServer bracketing = new FakeServer();
        bracketing.finishBeforeSignal = 2;
        final SearchResult early = new SloSearch(bracketing, 0.02, step -> { }).run(
            RateSeries.geometric(10_000, 160_000, 5));
        assertTrue(early.interrupted());
        assertEquals(2, early.steps().size());
        assertEquals(20_000.0, early.highestRate(), "the answer so far: every rate that finished met");
        assertNull(early.missed());
        assertTrue(early.conclusion().contains("interrupted before any higher rate finished"), early.conclusion());
        assertFalse(early.conclusion().contains("Raise --rates"), early.conclusion());

        final FakeServer bisecting = new FakeServer();
        bisecting.finishBeforeSignal = 5; // 10k, 20k, 40k, 80k bracket it; one bisection finishes
        final SearchResult cut = new SloSearch(bisecting, 0.02, step -> { }).run(
            RateSeries.geometric(10_000, 160_000, 5));
        assertEquals(6, bisecting.ran.size(), "no bisection after the signal: " + bisecting.ran);
        assertTrue(cut.interrupted() && cut.bracketed() && !cut.resolved(), cut.conclusion());
        assertEquals(5, cut.steps().size());
        assertTrue(cut.met().targetRate() <= KNEE && cut.missed().targetRate() > KNEE, cut.conclusion());
        assertTrue(cut.conclusion().contains("the search was interrupted before reaching its 2% resolution"),
            cut.conclusion());

        final FakeServer none = new FakeServer();
        none.finishBeforeSignal = 0;
        final SearchResult nothing = new SloSearch(none, 0.02, step -> { }).run(List.of(10_000.0, 20_000.0));
        assertTrue(nothing.interrupted() && nothing.steps().isEmpty());
        assertEquals("Interrupted before any step finished: no answer.", nothing.conclusion());
    }
}
