package dev.ringside.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Tick and sentence formatting: units a person reads, never raw nanoseconds or {@code 0.100}. One table per
 * formatter (value, then the text it must give). {@code RateSeries.format} is {@link Quantities#count}, so its
 * rates are in the count table.
 */
class QuantitiesTest {
    // Catches: a unit switch at the wrong power (1000 µs as "1000 µs"), or trailing zeros kept ("1.00 ms").
    @ParameterizedTest(name = "{0} us is {1}")
    @CsvSource(delimiter = '|', value = {
        "0.85 | 850 ns", "1 | 1 µs", "12.5 | 12.5 µs", "250 | 250 µs", "1000 | 1 ms", "1400 | 1.4 ms",
        "250000 | 250 ms", "2000000 | 2 s", "0 | 0", "NaN | -"})
    void shouldWriteLatencyInTheUnitThatKeepsTheNumberBetweenOneAndAThousand(final double micros,
        final String text) {
        assertEquals(text, Quantities.micros(micros));
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', value = {
        "0.1 | 0.1", "0.25 | 0.25", "0.0012345 | 0.00123", "5.0 | 5", "12.34 | 12.3", "1234.6 | 1235", "0 | 0"})
    void shouldDropTrailingZerosAndKeepThreeSignificantDigits(final double value, final String text) {
        assertEquals(text, Quantities.significant(value));
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', value = {
        "0 | 0", "850 | 850", "12500 | 12.5k", "20000 | 20k", "200000 | 200k", "1200000 | 1.2M"})
    void shouldWriteCountsWithThousandsAndMillions(final double count, final String text) {
        assertEquals(text, Quantities.count(count));
    }
}
