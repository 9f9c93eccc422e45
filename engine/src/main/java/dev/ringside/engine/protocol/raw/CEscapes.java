package dev.ringside.engine.protocol.raw;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Turns text typed on a command line into bytes, with the C escapes a shell cannot type: {@code \r},
 * {@code \n}, {@code \t}, {@code \0}, {@code \\}, {@code \"}, {@code \'} and {@code \xHH} (exactly two hex
 * digits). Anything else after a backslash is a mistake, reported as one line naming it and its place,
 * because silently sending a literal backslash to a server makes a benchmark of the wrong request.
 * Characters outside the escapes are sent as UTF-8.
 */
public final class CEscapes {
    /** The escapes accepted, as shown in error messages. */
    public static final String KNOWN = "\\r \\n \\t \\0 \\\\ \\\" \\' \\xHH";

    private CEscapes() {
    }

    /**
     * Decodes escaped text.
     *
     * @param what  what the text is, for the error message (for example {@code --message})
     * @param text  the text as typed
     * @return its bytes
     * @throws IllegalArgumentException naming the first bad escape and its index
     */
    public static byte[] decode(final String what, final String text) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        int literalFrom = 0;
        int i = 0;
        while (i < text.length()) {
            if (text.charAt(i) != '\\') {
                i++;
                continue;
            }
            out.writeBytes(text.substring(literalFrom, i).getBytes(StandardCharsets.UTF_8));
            if (i + 1 >= text.length()) {
                throw bad(what, "a lone '\\' at its end", i);
            }
            final char code = text.charAt(i + 1);
            int length = 2;
            switch (code) {
                case 'r' -> out.write('\r');
                case 'n' -> out.write('\n');
                case 't' -> out.write('\t');
                case '0' -> out.write(0);
                case '\\' -> out.write('\\');
                case '"' -> out.write('"');
                case '\'' -> out.write('\'');
                case 'x' -> {
                    final int high = i + 2 < text.length() ? Character.digit(text.charAt(i + 2), 16) : -1;
                    final int low = i + 3 < text.length() ? Character.digit(text.charAt(i + 3), 16) : -1;
                    if (high < 0 || low < 0) {
                        throw bad(what, "'\\x' not followed by two hex digits", i);
                    }
                    out.write(high << 4 | low);
                    length = 4;
                }
                default -> throw bad(what, "an unknown escape '\\" + code + "'", i);
            }
            i += length;
            literalFrom = i;
        }
        out.writeBytes(text.substring(literalFrom).getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static IllegalArgumentException bad(final String what, final String problem, final int index) {
        return new IllegalArgumentException(what + " has " + problem + " at index " + index + " (escapes: "
            + KNOWN + ")");
    }
}
