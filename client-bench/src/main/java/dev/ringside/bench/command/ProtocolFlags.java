package dev.ringside.bench.command;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.ringside.engine.protocol.OptionValues;
import dev.ringside.engine.protocol.ProtocolOption;
import dev.ringside.engine.protocol.ProtocolSpec;
import dev.ringside.engine.protocols.Protocols;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * Turns the registry's protocol options (plain data) into picocli options of a command, and reads them back
 * for the protocol chosen. A command's {@code --protocol} help and its protocol flags are generated here, so no
 * command names a protocol; a flag given for a protocol it does not belong to is one line naming its owner.
 */
public final class ProtocolFlags {
    /** The option every protocol-speaking command has. */
    public static final String PROTOCOL_OPTION = "--protocol";
    /** The generator's message size, whose meaning each protocol's {@code SizeRule} gives. */
    public static final String SIZE_OPTION = "--size";

    private ProtocolFlags() {
    }

    /**
     * Installs protocol help and options on a command: {@code --protocol} gets one help line per protocol, and
     * each protocol option follows it; {@code --size}, when the command has it, says what it means for each
     * protocol. Call from a picocli model transformer, before parsing.
     *
     * @param spec    the command
     * @param offered the protocols the command accepts
     * @param side    which of a protocol's options the command takes
     * @return the command
     */
    public static CommandSpec install(final CommandSpec spec, final List<ProtocolSpec> offered,
        final Function<ProtocolSpec, List<ProtocolOption<?>>> side) {
        // picocli lists options in the order added: rebuild the list to put the generated ones after --protocol.
        final List<OptionSpec> existing = new ArrayList<>(spec.options());
        for (final OptionSpec option : existing) {
            spec.remove(option);
        }
        for (final OptionSpec option : existing) {
            if (SIZE_OPTION.equals(option.longestName())) {
                spec.addOption(OptionSpec.builder(option).description(sizeHelp(offered, option)).build());
                continue;
            }
            if (!PROTOCOL_OPTION.equals(option.longestName())) {
                spec.addOption(option);
                continue;
            }
            spec.addOption(OptionSpec.builder(option).description(protocolHelp(offered, option)).build());
            for (final OptionSpec generated : options(offered, side)) {
                spec.addOption(generated);
            }
        }
        return spec;
    }

    private static String[] protocolHelp(final List<ProtocolSpec> offered, final OptionSpec option) {
        final List<String> lines = new ArrayList<>();
        lines.add(String.join(" | ", offered.stream().map(ProtocolSpec::name).toList()) + " (default: "
            + option.defaultValue() + ")");
        for (final ProtocolSpec spec : offered) {
            lines.add("  " + spec.name() + ": " + spec.help() + (spec.datagrams() ? " (TCP, UDP)" : " (TCP)"));
        }
        return lines.toArray(new String[0]);
    }

    private static String sizeHelp(final List<ProtocolSpec> offered, final OptionSpec option) {
        final List<String> meanings = new ArrayList<>();
        for (final ProtocolSpec spec : offered) {
            if (spec.size().applies()) {
                meanings.add(spec.size().covers());
            }
        }
        return "message size: " + String.join(", ", meanings) + " (default: " + option.defaultValue() + ")";
    }

    /** One picocli option per distinct flag; a flag several protocols take names them all in its help. */
    private static List<OptionSpec> options(final List<ProtocolSpec> offered,
        final Function<ProtocolSpec, List<ProtocolOption<?>>> side) {
        final Map<String, ProtocolOption<?>> byName = new LinkedHashMap<>();
        final Map<String, List<String>> owners = new LinkedHashMap<>();
        for (final ProtocolSpec spec : offered) {
            for (final ProtocolOption<?> option : side.apply(spec)) {
                byName.putIfAbsent(option.name(), option);
                owners.computeIfAbsent(option.name(), name -> new ArrayList<>()).add(spec.name());
            }
        }
        final List<OptionSpec> result = new ArrayList<>();
        for (final ProtocolOption<?> option : byName.values()) {
            final String help = String.join(", ", owners.get(option.name())) + ": " + option.help()
                + (option.defaultText() == null ? "" : " (default: " + option.defaultText() + ")")
                + (option.isRepeatable() ? "; repeatable" : "");
            final OptionSpec.Builder builder = OptionSpec.builder(option.names().toArray(new String[0]))
                .description(help);
            if (option.isFlag()) {
                builder.arity("0").type(boolean.class);
            } else if (option.isRepeatable()) {
                builder.paramLabel(option.paramLabel()).type(List.class).auxiliaryTypes(String.class);
            } else {
                builder.paramLabel(option.paramLabel()).type(String.class);
            }
            result.add(builder.build());
        }
        return result;
    }

    /**
     * The protocol options given on a parsed command line, checked against the chosen protocol.
     *
     * @param spec     the command ({@code null} when it was not parsed from a command line: nothing given)
     * @param selected the protocol chosen
     * @param side     which of a protocol's options the command takes
     * @return the parsed values of the chosen protocol's options
     * @throws IllegalArgumentException when an option of another protocol was given, or a value does not parse
     */
    public static OptionValues values(final CommandSpec spec, final ProtocolSpec selected,
        final Function<ProtocolSpec, List<ProtocolOption<?>>> side) {
        final Map<ProtocolOption<?>, List<String>> texts = new LinkedHashMap<>();
        for (final Map.Entry<String, List<String>> given : given(spec, side).entrySet()) {
            final ProtocolOption<?> option = side.apply(selected).stream()
                .filter(candidate -> candidate.name().equals(given.getKey())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(given.getKey() + " goes with --protocol "
                    + String.join(" or ", Protocols.owners(given.getKey(), side).stream()
                        .map(ProtocolSpec::name).toList()) + ", not " + selected.name()));
            texts.put(option, given.getValue());
        }
        return OptionValues.parse(texts);
    }

    /**
     * The protocol options given on a parsed command line, as typed.
     *
     * @param spec the command, or {@code null}
     * @param side which of a protocol's options to look for
     * @return each option given (by long name) with its texts ({@code "true"} for a switch), in registry order
     */
    public static Map<String, List<String>> given(final CommandSpec spec,
        final Function<ProtocolSpec, List<ProtocolOption<?>>> side) {
        final Map<String, List<String>> given = new LinkedHashMap<>();
        final ParseResult parsed = spec == null ? null : spec.commandLine().getParseResult();
        if (parsed == null) {
            return given;
        }
        for (final ProtocolSpec protocol : Protocols.ALL) {
            for (final ProtocolOption<?> option : side.apply(protocol)) {
                final OptionSpec matched = parsed.matchedOption(option.name());
                if (matched == null || given.containsKey(option.name())) {
                    continue;
                }
                given.put(option.name(),
                    option.isFlag() ? List.of("true") : List.copyOf(matched.originalStringValues()));
            }
        }
        return given;
    }
}
