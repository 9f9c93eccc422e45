package dev.ringside.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    private static int count(final String text, final String part) {
        int count = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            count++;
        }
        return count;
    }
}
