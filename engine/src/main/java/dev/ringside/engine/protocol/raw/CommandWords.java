package dev.ringside.engine.protocol.raw;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command typed on a command line ({@code SET k "hello world"}) into its words, as redis-cli
 * does: words are separated by spaces or tabs; a word in double quotes may contain spaces and the escapes
 * of {@link CEscapes}. Done once at start-up, so it may allocate.
 */
public final class CommandWords {
    private CommandWords() {
    }

    /**
     * Splits a command.
     *
     * @param what    what the text is, for the error message (for example {@code it})
     * @param command the command as typed
     * @return its words as bytes, at least one
     * @throws IllegalArgumentException when it is empty, a quote is not closed, or an escape is bad
     */
    public static List<byte[]> split(final String what, final String command) {
        final List<byte[]> words = new ArrayList<>();
        int i = 0;
        while (i < command.length()) {
            final char c = command.charAt(i);
            if (c == ' ' || c == '\t') {
                i++;
            } else if (c == '"') {
                final int close = closingQuote(command, i + 1);
                if (close < 0) {
                    throw new IllegalArgumentException(what + " has a quote at index " + i + " that is not closed");
                }
                if (close + 1 < command.length() && command.charAt(close + 1) != ' '
                    && command.charAt(close + 1) != '\t') {
                    throw new IllegalArgumentException(what + " needs a space after the quoted word ending at index "
                        + close);
                }
                words.add(CEscapes.decode(what, command.substring(i + 1, close)));
                i = close + 1;
            } else {
                int end = i;
                while (end < command.length() && command.charAt(end) != ' ' && command.charAt(end) != '\t') {
                    end++;
                }
                words.add(CEscapes.decode(what, command.substring(i, end)));
                i = end;
            }
        }
        if (words.isEmpty()) {
            throw new IllegalArgumentException(what + " is empty");
        }
        return words;
    }

    private static int closingQuote(final String text, final int from) {
        for (int i = from; i < text.length(); i++) {
            final char c = text.charAt(i);
            if (c == '\\') {
                i++; // an escaped character, perhaps a quote, never closes the word
            } else if (c == '"') {
                return i;
            }
        }
        return -1;
    }
}
