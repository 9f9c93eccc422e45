package dev.ringside.engine.protocol;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The values of one protocol's options for one run, parsed (and so validated) when made. An option not given
 * has its default; a switch not given is off.
 */
public final class OptionValues {
    private static final OptionValues NONE = new OptionValues(Map.of(), Map.of());

    private final Map<ProtocolOption<?>, List<Object>> given;
    private final Map<ProtocolOption<?>, List<String>> texts;

    private OptionValues(final Map<ProtocolOption<?>, List<Object>> given,
        final Map<ProtocolOption<?>, List<String>> texts) {
        this.texts = texts;
        this.given = given;
    }

    /** @return no option given: every option has its default */
    public static OptionValues defaults() {
        return NONE;
    }

    /**
     * Parses what the user gave.
     *
     * @param texts each option given, with its texts in the order typed ({@code "true"} for a switch)
     * @return the values
     * @throws IllegalArgumentException when a text does not parse, naming the option
     */
    public static OptionValues parse(final Map<ProtocolOption<?>, List<String>> texts) {
        final Map<ProtocolOption<?>, List<Object>> parsed = new IdentityHashMap<>();
        final Map<ProtocolOption<?>, List<String>> typed = new IdentityHashMap<>();
        for (final Map.Entry<ProtocolOption<?>, List<String>> entry : texts.entrySet()) {
            final ProtocolOption<?> option = entry.getKey();
            if (entry.getValue().size() > 1 && !option.isRepeatable()) {
                throw new IllegalArgumentException(option.name() + " may be given once");
            }
            final List<Object> values = new ArrayList<>();
            for (final String text : entry.getValue()) {
                values.add(option.parse(text));
            }
            if (!values.isEmpty()) {
                parsed.put(option, Collections.unmodifiableList(values));
                typed.put(option, List.copyOf(entry.getValue()));
            }
        }
        return new OptionValues(parsed, typed);
    }

    /**
     * One option's value for a test or a caller that builds values by hand.
     *
     * @param option the option
     * @param text   its text
     * @return the values with just that one given
     */
    public static OptionValues of(final ProtocolOption<?> option, final String text) {
        return parse(Map.of(option, List.of(text)));
    }

    /**
     * @param option an option
     * @return whether the user gave it
     */
    public boolean isSet(final ProtocolOption<?> option) {
        return given.containsKey(option);
    }

    /**
     * @param option an option
     * @param <T>    its type
     * @return the value given (the last one, for a repeatable option), else the default, else {@code null}
     *         (a switch: false)
     */
    @SuppressWarnings("unchecked")
    public <T> T get(final ProtocolOption<T> option) {
        final List<Object> values = given.get(option);
        if (values != null) {
            return (T) values.get(values.size() - 1);
        }
        if (option.isFlag()) {
            return option.parse("false");
        }
        return option.defaultText() == null ? null : option.parse(option.defaultText());
    }

    /**
     * @param option a repeatable option
     * @param <T>    its type
     * @return every value given, in order; the default alone when none was; empty when there is no default
     */
    @SuppressWarnings("unchecked")
    public <T> List<T> all(final ProtocolOption<T> option) {
        final List<Object> values = given.get(option);
        if (values != null) {
            return (List<T>) values;
        }
        return option.defaultText() == null ? List.of() : List.of(option.parse(option.defaultText()));
    }

    /**
     * The option exactly as typed, to pass it on to another process's command line.
     *
     * @param option an option
     * @return its texts in the order typed ({@code "true"} for a switch); empty when it was not given
     */
    public List<String> texts(final ProtocolOption<?> option) {
        final List<String> typed = texts.get(option);
        return typed == null ? List.of() : typed;
    }

    /**
     * The option as the user typed it, for reports: a parsed value may be an array or a file's bytes, which
     * have no readable {@code toString}.
     *
     * @param option an option
     * @return its texts in the order typed, joined by {@code ", "}; else its default text; else {@code null}
     */
    public String text(final ProtocolOption<?> option) {
        final List<String> typed = texts.get(option);
        if (typed != null) {
            return String.join(", ", typed);
        }
        return option.isFlag() ? "false" : option.defaultText();
    }
}
