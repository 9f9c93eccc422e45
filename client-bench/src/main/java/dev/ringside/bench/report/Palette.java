package dev.ringside.bench.report;

/**
 * Colours for chart series. {@link #categorical(int)}: ten hues a reader tells apart at a glance (no two
 * reds, no two greens), for series that are different things (server models). {@link #ramp(int, int)}: an
 * ordered scale from cool to hot, for series that are the same thing at increasing load (a sweep's steps).
 */
public final class Palette {
    private static final String[] CATEGORICAL = {
        "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#17becf", "#8c564b", "#e377c2", "#bcbd22",
        "#7f7f7f"};
    /** Blue, teal, green, amber, red: dark enough on white at every stop. */
    private static final int[][] RAMP = {
        {0x3b, 0x52, 0x8b}, {0x21, 0x91, 0x8c}, {0x4a, 0xa8, 0x3a}, {0xe0, 0xa1, 0x00}, {0xd6, 0x27, 0x28}};

    private Palette() {
    }

    /**
     * @param index a series' index
     * @return its colour; distinct for the first ten
     */
    public static String categorical(final int index) {
        return CATEGORICAL[Math.floorMod(index, CATEGORICAL.length)];
    }

    /**
     * @param index a series' place, 0 for the lowest
     * @param count how many series
     * @return its colour on the cool-to-hot scale
     */
    public static String ramp(final int index, final int count) {
        final double t = count <= 1 ? 0 : (double) index / (count - 1) * (RAMP.length - 1);
        final int low = Math.min((int) Math.floor(t), RAMP.length - 2);
        final double f = t - low;
        final StringBuilder color = new StringBuilder("#");
        for (int c = 0; c < 3; c++) {
            final int value = (int) Math.round(RAMP[low][c] + f * (RAMP[low + 1][c] - RAMP[low][c]));
            color.append(String.format(java.util.Locale.ROOT, "%02x", value));
        }
        return color.toString();
    }
}
