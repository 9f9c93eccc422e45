package dev.ringside.engine.counter;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.status.CountersReader;

/**
 * Sums counters of the same type across loops, for display: {@code ringside stat} and a server's final
 * report both use it. Labels lose their {@code loop-N: } prefix.
 *
 * <p>The counters may come from another process's file, so nothing read is trusted: a record state other
 * than Agrona's three, or a label length outside {@code [0, MAX_LABEL_LENGTH]}, is an
 * {@link IllegalStateException} naming the counter (Agrona's own {@code forEach} would allocate whatever length
 * the file claims), and a label shows printable ASCII only — anything else, such as a terminal escape
 * sequence, is shown as {@code \xNN}.
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
        totals.add(reader);
        return totals;
    }

    /**
     * Sums totals read from several places, such as the counters files of a prefork server's worker processes:
     * counters of the same type are summed across all of them.
     *
     * @param parts totals
     * @return their sum, ordered by type id
     */
    public static CounterTotals sum(final List<CounterTotals> parts) {
        final CounterTotals totals = new CounterTotals();
        for (final CounterTotals part : parts) {
            for (final Map.Entry<Integer, String> entry : part.labels.entrySet()) {
                totals.labels.putIfAbsent(entry.getKey(), entry.getValue());
                totals.values.merge(entry.getKey(), part.value(entry.getKey()), Long::sum);
            }
        }
        return totals;
    }

    private void add(final CountersReader reader) {
        final CounterTotals totals = this;
        final AtomicBuffer metadata = reader.metaDataBuffer();
        final AtomicBuffer values = reader.valuesBuffer();
        for (int id = 0; id <= reader.maxCounterId(); id++) {
            final int offset = CountersReader.metaDataOffset(id);
            if (offset + CountersReader.METADATA_LENGTH > metadata.capacity()
                || CountersReader.counterOffset(id) + CountersReader.COUNTER_LENGTH > values.capacity()) {
                break;
            }
            final int state = metadata.getIntVolatile(offset);
            if (state == CountersReader.RECORD_UNUSED) {
                break; // records are allocated in order: the rest are unused too
            }
            if (state == CountersReader.RECORD_RECLAIMED) {
                continue;
            }
            if (state != CountersReader.RECORD_ALLOCATED) {
                throw new IllegalStateException("counters are corrupt: counter " + id + " has record state " + state);
            }
            final int labelLength = metadata.getInt(offset + CountersReader.LABEL_OFFSET);
            if (labelLength < 0 || labelLength > CountersReader.MAX_LABEL_LENGTH) {
                throw new IllegalStateException("counters are corrupt: counter " + id + " has a label length of "
                    + labelLength + " (at most " + CountersReader.MAX_LABEL_LENGTH + ")");
            }
            final byte[] labelBytes = new byte[labelLength];
            metadata.getBytes(offset + CountersReader.LABEL_OFFSET + Integer.BYTES, labelBytes);
            // ISO-8859-1 maps each byte to one char, so printable() shows the very bytes that were stored.
            final String label = printable(new String(labelBytes, StandardCharsets.ISO_8859_1));
            final int typeId = metadata.getInt(offset + CountersReader.TYPE_ID_OFFSET);
            final long value = values.getLongVolatile(CountersReader.counterOffset(id));
            final int colon = label.indexOf(": ");
            totals.labels.putIfAbsent(typeId, colon >= 0 ? label.substring(colon + 2) : label);
            totals.values.merge(typeId, value, Long::sum);
        }
    }

    /**
     * @param text a label as stored
     * @return the label with every character outside printable ASCII shown as {@code \xNN}, and a backslash
     *     doubled, so a terminal or a script sees the bytes without acting on them
     */
    static String printable(final String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            final boolean plain = c >= 0x20 && c < 0x7f && c != '\\';
            if (plain && out == null) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (plain) {
                out.append(c);
            } else if (c == '\\') {
                out.append("\\\\");
            } else {
                out.append(String.format("\\x%02x", c & 0xff));
            }
        }
        return out == null ? text : out.toString();
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
