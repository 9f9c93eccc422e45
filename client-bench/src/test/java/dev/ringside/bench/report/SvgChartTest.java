package dev.ringside.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** The chart features the comparison uses: a log x axis, gaps and flagged points. */
class SvgChartTest {
    private static final Pattern POINT = Pattern.compile("(\\d+\\.\\d),(\\d+\\.\\d)");

    @Test
    void shouldPlaceConnectionCountsOnALogAxisAndLabelEachOne() {
        final String svg = new SvgChart("connections", "p99").logX().logY()
            .addMarked("thread", "#d62728", new double[] {10, 100, 1000, 5000}, new double[] {50, 80, 300, 9000},
                new boolean[4])
            .render();
        final List<Double> xs = new ArrayList<>();
        final Matcher polyline = Pattern.compile("points=\"([^\"]*)\"").matcher(svg);
        assertTrue(polyline.find(), svg);
        final Matcher point = POINT.matcher(polyline.group(1));
        while (point.find()) {
            xs.add(Double.parseDouble(point.group(1)));
        }
        assertEquals(4, xs.size());
        // Equal ratios are equal distances: 10 -> 100 -> 1000 are equal steps.
        assertEquals(xs.get(1) - xs.get(0), xs.get(2) - xs.get(1), 0.2);
        assertEquals(Math.log10(5), (xs.get(3) - xs.get(2)) / (xs.get(2) - xs.get(1)), 0.01);
        for (final String label : new String[] {">10<", ">100<", ">1000<", ">5000<"}) {
            assertTrue(svg.contains(label), label);
        }
        assertEquals(4, count(svg, "r=\"3.5\""), "a dot per point");
    }

    @Test
    void shouldBreakTheLineAtAMissingValueAndRingFlaggedPoints() {
        final String svg = new SvgChart("connections", "rss").logX()
            .addMarked("virtual", "#9467bd", new double[] {10, 100, 1000, 5000},
                new double[] {60, Double.NaN, 70, 90}, new boolean[] {false, false, true, false})
            .render();
        assertEquals(2, count(svg, "<polyline"), "one segment before the gap, one after");
        assertEquals(3, count(svg, "r=\"3.5\""), "no dot where there is no value");
        assertEquals(1, count(svg, "r=\"8\""), "one flagged point");
    }

    // Catches: raw numbers on a latency axis ("250000"), "0.100" ticks, or a log axis with a label per decade
    // only when the values span less than one (no label at all between 200 µs and 900 µs).
    @Test
    void shouldLabelLatencyTicksInUnitsAndGiveNarrowLogAxesOneTwoFiveTicks() {
        assertEquals(List.of(200.0, 500.0, 1000.0), SvgChart.logTicks(200, 900));
        assertEquals(List.of(100.0, 200.0, 500.0, 1000.0), SvgChart.logTicks(150, 900));
        assertEquals(List.of(10.0, 100.0, 1000.0, 10_000.0, 100_000.0, 1_000_000.0),
            SvgChart.logTicks(20, 800_000));
        final String svg = new SvgChart("percentile", "latency").latencyY().logY()
            .add("p", "#000", new double[] {0, 1, 2}, new double[] {40, 250_000, 800_000}, false).render();
        for (final String label : new String[] {">10 µs<", ">100 µs<", ">1 ms<", ">100 ms<", ">1 s<"}) {
            assertTrue(svg.contains(label), label + " in " + svg);
        }
        assertFalse(svg.contains(">250000<") || svg.contains(">1000000<"), svg);
        final String linear = new SvgChart("x", "y").add("s", "#000", new double[] {0, 1}, new double[] {0, 0.3},
            false).render();
        assertTrue(linear.contains(">0.1<") && linear.contains(">0.3<"), linear);
        assertFalse(linear.contains("0.100") || linear.contains("0.30000"), linear);
    }

    // Catches: a chart that stays linear when p50 is 40 µs and max 800 ms (everything but the tail flat on 0).
    @Test
    void shouldGoLogarithmicWhenValuesSpanDecades() {
        final String wide = new SvgChart("x", "y").latencyY().logYIfWide()
            .add("s", "#000", new double[] {0, 1}, new double[] {40, 800_000}, false).render();
        assertTrue(wide.contains(">100 µs<") && wide.contains(">1 s<"), wide);
        final String narrow = new SvgChart("x", "y").latencyY().logYIfWide()
            .add("s", "#000", new double[] {0, 1}, new double[] {400, 900}, false).render();
        assertTrue(narrow.contains(">0<"), "a narrow span stays linear, from 0: " + narrow);
    }

    @Test
    void shouldGiveEveryModelAndEveryStepItsOwnColour() {
        final java.util.Set<String> colours = new java.util.HashSet<>();
        for (int i = 0; i < 10; i++) {
            colours.add(Palette.categorical(i));
        }
        assertEquals(10, colours.size());
        assertEquals("#3b528b", Palette.ramp(0, 5));
        assertEquals("#d62728", Palette.ramp(4, 5));
    }

    private static int count(final String text, final String part) {
        int count = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            count++;
        }
        return count;
    }
}
