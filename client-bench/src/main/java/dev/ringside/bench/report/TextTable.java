package dev.ringside.bench.report;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table whose column widths come from the values, so that no value, however large, runs into
 * its neighbour: every column is as wide as its widest cell, and columns are two spaces apart. The first
 * column and any column marked left-aligned are padded on the right; the rest (numbers) on the left.
 */
public final class TextTable {
    private static final String GAP = "  ";

    private final List<String[]> rows = new ArrayList<>();
    private final int columns;
    private final boolean[] left;

    /**
     * @param header the column titles
     */
    public TextTable(final String... header) {
        this.columns = header.length;
        this.left = new boolean[columns];
        left[0] = true;
        rows.add(header.clone());
    }

    /**
     * Pads these columns on the right (text rather than numbers).
     *
     * @param indexes column indexes
     * @return this
     */
    public TextTable leftAligned(final int... indexes) {
        for (final int index : indexes) {
            left[index] = true;
        }
        return this;
    }

    /**
     * Adds a row; missing cells are empty.
     *
     * @param cells the values, already formatted
     * @return this
     */
    public TextTable row(final String... cells) {
        final String[] row = new String[columns];
        for (int i = 0; i < columns; i++) {
            row[i] = i < cells.length && cells[i] != null ? cells[i] : "";
        }
        rows.add(row);
        return this;
    }

    /**
     * Prints the header and every row.
     *
     * @param out    where
     * @param indent put before each line
     */
    public void print(final PrintStream out, final String indent) {
        final int[] widths = new int[columns];
        for (final String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (final String[] row : rows) {
            final StringBuilder line = new StringBuilder(indent);
            for (int i = 0; i < columns; i++) {
                if (i > 0) {
                    line.append(GAP);
                }
                final int pad = widths[i] - row[i].length();
                if (!left[i]) {
                    line.append(" ".repeat(pad));
                }
                line.append(row[i]);
                if (left[i] && i < columns - 1) {
                    line.append(" ".repeat(pad));
                }
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
