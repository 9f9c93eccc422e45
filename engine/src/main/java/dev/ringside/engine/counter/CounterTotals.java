package dev.ringside.engine.counter;

import java.util.Map;
import java.util.TreeMap;

import org.agrona.concurrent.status.CountersReader;

/**
 * Sums counters of the same type across loops, for display: {@code ringside stat} and a server's final
 * report both use it. Labels lose their {@code loop-N: } prefix.
 */
public final class CounterTotals {
    private final TreeMap<Integer, String> labels = new TreeMap<>();
    private final TreeMap<Integer, Long> values = new TreeMap<>();

    private CounterTotals() {
    }

    /**
     * Reads and sums every allocated counter.
     *
     * @param reader the counters
     * @return the totals, ordered by type id
     */
    public static CounterTotals read(final CountersReader reader) {
        final CounterTotals totals = new CounterTotals();
        reader.forEach((value, counterId, label) -> {
            final int typeId = reader.getCounterTypeId(counterId);
            final int colon = label.indexOf(": ");
            totals.labels.putIfAbsent(typeId, colon >= 0 ? label.substring(colon + 2) : label);
            totals.values.merge(typeId, value, Long::sum);
        });
        return totals;
    }

    /**
     * @param typeId a counter type id ({@link EngineCounter#id()})
     * @return the summed value, 0 when absent
     */
    public long value(final int typeId) {
        return values.getOrDefault(typeId, 0L);
    }

    /**
     * @param counter an engine counter
     * @return the summed value
     */
    public long value(final EngineCounter counter) {
        return value(counter.id());
    }

    /** @return type id to label, in type-id order */
    public Map<Integer, String> labels() {
        return labels;
    }

    /**
     * Formats the totals as aligned {@code label: value} lines.
     *
     * @param skipZeroCloseReasons leave out close reasons that never happened
     * @return the text, one counter per line
     */
    public String format(final boolean skipZeroCloseReasons) {
        final StringBuilder out = new StringBuilder();
        int width = 0;
        for (final String label : labels.values()) {
            width = Math.max(width, label.length());
        }
        for (final Map.Entry<Integer, String> entry : labels.entrySet()) {
            final long value = value(entry.getKey());
            if (skipZeroCloseReasons && entry.getKey() >= EngineCounter.CLOSE_REASON_TYPE_BASE && value == 0) {
                continue;
            }
            out.append(String.format("  %-" + width + "s %,16d%n", entry.getValue(), value));
        }
        return out.toString();
    }
}
