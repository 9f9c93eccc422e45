package dev.ringside.bench.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A strict little JSON reader for tests: objects, arrays, strings, numbers, booleans, null. */
final class MiniJson {
    private final String text;
    private int pos;

    private MiniJson(final String text) {
        this.text = text;
    }

    static Object parse(final String text) {
        final MiniJson json = new MiniJson(text);
        final Object value = json.value();
        json.skipSpace();
        if (json.pos != text.length()) {
            throw new IllegalArgumentException("trailing text at " + json.pos);
        }
        return value;
    }

    /** Follows a dotted path through nested objects, e.g. {@code latencyUs.p99}. */
    static Object at(final Object root, final String path) {
        Object node = root;
        for (final String key : path.split("\\.")) {
            if (!(node instanceof Map) || !((Map<?, ?>) node).containsKey(key)) {
                throw new AssertionError("no key '" + path + "'");
            }
            node = ((Map<?, ?>) node).get(key);
        }
        return node;
    }

    private Object value() {
        skipSpace();
        final char c = text.charAt(pos);
        if (c == '{') {
            pos++;
            final Map<String, Object> map = new LinkedHashMap<>();
            skipSpace();
            if (text.charAt(pos) == '}') {
                pos++;
                return map;
            }
            while (true) {
                skipSpace();
                final String key = string();
                skipSpace();
                expect(':');
                map.put(key, value());
                skipSpace();
                if (text.charAt(pos) == '}') {
                    pos++;
                    return map;
                }
                expect(',');
            }
        }
        if (c == '[') {
            pos++;
            final List<Object> list = new ArrayList<>();
            skipSpace();
            if (text.charAt(pos) == ']') {
                pos++;
                return list;
            }
            while (true) {
                list.add(value());
                skipSpace();
                if (text.charAt(pos) == ']') {
                    pos++;
                    return list;
                }
                expect(',');
            }
        }
        if (c == '"') {
            return string();
        }
        for (final String word : new String[] {"true", "false", "null"}) {
            if (text.startsWith(word, pos)) {
                pos += word.length();
                return "null".equals(word) ? null : Boolean.valueOf(word);
            }
        }
        final int start = pos;
        while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
        if (start == pos) {
            throw new IllegalArgumentException("unexpected '" + c + "' at " + pos);
        }
        return Double.parseDouble(text.substring(start, pos));
    }

    private String string() {
        expect('"');
        final StringBuilder out = new StringBuilder();
        while (text.charAt(pos) != '"') {
            char c = text.charAt(pos++);
            if (c == '\\') {
                c = text.charAt(pos++);
                if (c == 'u') {
                    c = (char) Integer.parseInt(text.substring(pos, pos + 4), 16);
                    pos += 4;
                } else if (c == 'n') {
                    c = '\n';
                } else if (c == 't') {
                    c = '\t';
                }
            }
            out.append(c);
        }
        pos++;
        return out.toString();
    }

    private void expect(final char c) {
        if (text.charAt(pos) != c) {
            throw new IllegalArgumentException("expected '" + c + "' at " + pos + " in " + text);
        }
        pos++;
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }
}
