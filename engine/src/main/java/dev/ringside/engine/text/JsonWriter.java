package dev.ringside.engine.text;

import java.util.Locale;
import java.util.Map;

/**
 * Writes JSON from plain Java values: nested maps, iterables, numbers, booleans, strings and {@code null}.
 * Small on purpose (no dependency for a few reports); every string is escaped, control characters included,
 * so text from outside (a counters file's labels) cannot break the document.
 */
public final class JsonWriter {
    private JsonWriter() {
    }

    /**
     * Writes nested maps, lists, numbers, booleans and strings as pretty-printed JSON; a NaN or infinite
     * double is {@code null}. Every JSON output of Ringside (bench summary, comparison,
     * {@code ringside stat --json}) goes through it, so they all look alike.
     *
     * @param root the document: a map (an object) or an iterable (an array)
     * @return the JSON, ending with a newline
     */
    public static String render(final Object root) {
        final StringBuilder json = new StringBuilder(2048);
        write(json, root, 0);
        return json.append('\n').toString();
    }

    private static void write(final StringBuilder json, final Object value, final int indent) {
        if (value instanceof Map) {
            final Map<?, ?> map = (Map<?, ?>) value;
            json.append('{');
            boolean first = true;
            for (final Map.Entry<?, ?> entry : map.entrySet()) {
                json.append(first ? "\n" : ",\n");
                first = false;
                pad(json, indent + 2);
                string(json, String.valueOf(entry.getKey()));
                json.append(": ");
                write(json, entry.getValue(), indent + 2);
            }
            if (!first) {
                json.append('\n');
                pad(json, indent);
            }
            json.append('}');
        } else if (value instanceof Iterable) {
            json.append('[');
            boolean first = true;
            for (final Object item : (Iterable<?>) value) {
                json.append(first ? "" : ", ");
                first = false;
                write(json, item, indent + 2);
            }
            json.append(']');
        } else if (value instanceof Double || value instanceof Float) {
            final double number = ((Number) value).doubleValue();
            if (Double.isNaN(number) || Double.isInfinite(number)) {
                json.append("null");
            } else if (number == Math.rint(number) && Math.abs(number) < 1e15) {
                json.append((long) number);
            } else {
                json.append(String.format(Locale.ROOT, "%.3f", number));
            }
        } else if (value instanceof Number || value instanceof Boolean) {
            json.append(value);
        } else if (value == null) {
            json.append("null");
        } else {
            string(json, value.toString());
        }
    }

    private static void pad(final StringBuilder json, final int indent) {
        for (int i = 0; i < indent; i++) {
            json.append(' ');
        }
    }

    private static void string(final StringBuilder json, final String text) {
        json.append('"');
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            switch (c) {
                case '"':
                    json.append("\\\"");
                    break;
                case '\\':
                    json.append("\\\\");
                    break;
                case '\n':
                    json.append("\\n");
                    break;
                case '\t':
                    json.append("\\t");
                    break;
                default:
                    if (c < 0x20) {
                        json.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                    break;
            }
        }
        json.append('"');
    }
}
