package dev.ringside.engine.protocol;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

import dev.ringside.engine.config.Units;

/**
 * One option a protocol takes, as plain data: its flag, help, default and how its text becomes a value
 * (which validates it). The command line turns these into its own options, so a protocol's flags live in its
 * package and not in any command; a value is parsed when the command line is read, so a bad one fails fast.
 *
 * @param <T> the value's type
 */
public final class ProtocolOption<T> {
    private final List<String> names;
    private final String paramLabel;
    private final String help;
    private final String defaultText;
    private final Function<String, T> parser;
    private final boolean repeatable;

    private ProtocolOption(final List<String> names, final String paramLabel, final String help,
        final String defaultText, final Function<String, T> parser, final boolean repeatable) {
        if (names.isEmpty() || !names.get(0).startsWith("--")) {
            throw new IllegalArgumentException("an option's first name must be a long one: " + names);
        }
        this.names = List.copyOf(names);
        this.paramLabel = paramLabel;
        this.help = help;
        this.defaultText = defaultText;
        this.parser = parser;
        this.repeatable = repeatable;
    }

    /**
     * An on/off switch: off unless given.
     *
     * @param name the flag, e.g. {@code --print}
     * @param help one line
     * @return the option
     */
    public static ProtocolOption<Boolean> flag(final String name, final String help) {
        return new ProtocolOption<>(List.of(name), null, help, null, Boolean::parseBoolean, false);
    }

    /**
     * An option with a value.
     *
     * @param name        the flag, e.g. {@code --max-line}
     * @param paramLabel  what the value is, e.g. {@code SIZE}
     * @param defaultText the value when not given (also shown in help), or {@code null} for none
     * @param help        one line
     * @param parser      turns the text into a value; throws {@link IllegalArgumentException} saying what is wrong
     * @param <T>         the value's type
     * @return the option
     */
    public static <T> ProtocolOption<T> value(final String name, final String paramLabel, final String defaultText,
        final String help, final Function<String, T> parser) {
        return new ProtocolOption<>(List.of(name), paramLabel, help, defaultText, parser, false);
    }

    /**
     * A size in bytes with an optional k/m/g suffix, at least {@code min}.
     *
     * @param name        the flag
     * @param defaultText the default, or {@code null}
     * @param min         the smallest value accepted
     * @param help        one line
     * @return the option
     */
    public static ProtocolOption<Integer> bytes(final String name, final String defaultText, final int min,
        final String help) {
        return value(name, "SIZE", defaultText, help, text -> {
            final long bytes = Units.parseBytes(text);
            if (bytes < min || bytes > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("must be " + min + " bytes or more (and below 2g), got " + text);
            }
            return (int) bytes;
        });
    }

    /** @return this option, given any number of times (values kept in order) */
    public ProtocolOption<T> repeatable() {
        return new ProtocolOption<>(names, paramLabel, help, defaultText, parser, true);
    }

    /**
     * @param shortName another name, e.g. {@code -H}
     * @return this option with that name too
     */
    public ProtocolOption<T> alias(final String shortName) {
        final List<String> all = new ArrayList<>(names);
        all.add(shortName);
        return new ProtocolOption<>(all, paramLabel, help, defaultText, parser, repeatable);
    }

    /** @return the long name, which identifies the option */
    public String name() {
        return names.get(0);
    }

    /** @return every name, the long one first */
    public List<String> names() {
        return Collections.unmodifiableList(names);
    }

    /** @return what the value is, or {@code null} for a switch */
    public String paramLabel() {
        return paramLabel;
    }

    /** @return whether it is an on/off switch */
    public boolean isFlag() {
        return paramLabel == null;
    }

    /** @return whether it may be given more than once */
    public boolean isRepeatable() {
        return repeatable;
    }

    /** @return the one-line help */
    public String help() {
        return help;
    }

    /** @return the default as text, or {@code null} */
    public String defaultText() {
        return defaultText;
    }

    /**
     * Parses a value.
     *
     * @param text what the user typed
     * @return the value
     * @throws IllegalArgumentException naming the option and what is wrong
     */
    public T parse(final String text) {
        try {
            return parser.apply(text);
        } catch (final IllegalArgumentException ex) {
            throw new IllegalArgumentException(name() + " " + text + ": " + ex.getMessage(), ex);
        }
    }

    @Override
    public String toString() {
        return name();
    }
}
