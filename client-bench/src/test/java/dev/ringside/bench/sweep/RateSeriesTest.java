package dev.ringside.bench.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

class RateSeriesTest {
    @Test
    void shouldCutARangeIntoGeometricStepsWithExactEnds() {
        assertEquals(List.of(10_000.0, 20_000.0, 40_000.0, 80_000.0, 160_000.0),
            RateSeries.parse("10k..160k", 5));
        final List<Double> rates = RateSeries.parse("10k..200k", null);
        assertEquals(RateSeries.DEFAULT_STEPS, rates.size());
        assertEquals(10_000.0, rates.get(0));
        assertEquals(200_000.0, rates.get(rates.size() - 1));
        // Equal ratios, up to rounding to whole messages per second.
        assertEquals(rates.get(1) / rates.get(0), rates.get(7) / rates.get(6), 1e-3);
    }

    @Test
    void shouldTakeAnAscendingListWithSuffixes() {
        assertEquals(List.of(500.0, 1_000.0, 5_000.0, 1_500_000.0), RateSeries.parse("500,1k,5k,1.5M", null));
    }

    @Test
    void shouldRejectWhatItCannotRun() {
        for (final String bad : new String[] {"5k,1k", "1k,1k", "200k..10k", "fast", "0..5k", "1k,,2k"}) {
            assertThrows(IllegalArgumentException.class, () -> RateSeries.parse(bad, null), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> RateSeries.parse("1k,5k", 3));
        assertThrows(IllegalArgumentException.class, () -> RateSeries.parse("1k..5k", 1));
    }
}
