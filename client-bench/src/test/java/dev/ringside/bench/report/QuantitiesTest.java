package dev.ringside.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Tick and sentence formatting: units a person reads, never raw nanoseconds or {@code 0.100}. */
class QuantitiesTest {
    // Catches: a unit switch at the wrong power (1000 µs as "1000 µs"), or trailing zeros kept ("1.00 ms").
    @Test
    void shouldWriteLatencyInTheUnitThatKeepsTheNumberBetweenOneAndAThousand() {
        assertEquals("850 ns", Quantities.micros(0.85));
        assertEquals("1 µs", Quantities.micros(1));
        assertEquals("12.5 µs", Quantities.micros(12.5));
        assertEquals("250 µs", Quantities.micros(250));
        assertEquals("1 ms", Quantities.micros(1000));
        assertEquals("1.4 ms", Quantities.micros(1400));
        assertEquals("250 ms", Quantities.micros(250_000));
        assertEquals("2 s", Quantities.micros(2_000_000));
        assertEquals("0", Quantities.micros(0));
        assertEquals("-", Quantities.micros(Double.NaN));
    }

    @Test
    void shouldDropTrailingZerosAndKeepThreeSignificantDigits() {
        assertEquals("0.1", Quantities.significant(0.1));
        assertEquals("0.25", Quantities.significant(0.25));
        assertEquals("0.00123", Quantities.significant(0.0012345));
        assertEquals("5", Quantities.significant(5.0));
        assertEquals("12.3", Quantities.significant(12.34));
        assertEquals("1235", Quantities.significant(1234.6));
        assertEquals("0", Quantities.significant(0));
    }

    @Test
    void shouldWriteCountsWithThousandsAndMillions() {
        assertEquals("0", Quantities.count(0));
        assertEquals("850", Quantities.count(850));
        assertEquals("20k", Quantities.count(20_000));
        assertEquals("12.5k", Quantities.count(12_500));
        assertEquals("1.2M", Quantities.count(1_200_000));
    }
}
