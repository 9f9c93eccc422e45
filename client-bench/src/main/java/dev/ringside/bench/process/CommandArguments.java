package dev.ringside.bench.process;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * A parsed command rendered back to arguments, so that a child process receives exactly the settings of its
 * parent: what the process model's supervisor gives each worker ({@code ServerCommand}). (Generator children
 * get their settings rendered by {@code BenchSettings.arguments()}, server children by {@code ServerLaunch}.)
 * It is read from picocli's own model: the {@link ParseResult} knows every option that was matched (the
 * registry's generated protocol options included) with the strings it was given, so nothing is
 * re-declared here and a new option travels without a line of code. Options left out keep their defaults in
 * the child, which are the parent's defaults: same class, same registry.
 *
 * <p>Each value is rendered {@code --name=value}, so that a value starting with {@code -} or holding spaces
 * stays one value; a flag (arity 0) is its name alone. Options are named by their longest name.
 */
public final class CommandArguments {
    private final CommandSpec spec;
    private final Map<String, List<String>> options = new LinkedHashMap<>();
    private final List<String> positionals = new ArrayList<>();

    private CommandArguments(final CommandSpec spec) {
        this.spec = spec;
    }

    /**
     * @param spec a command that has parsed its command line
     * @return its matched options and positional parameters, as given
     * @throws IllegalStateException when the command was not parsed
     */
    public static CommandArguments of(final CommandSpec spec) {
        final ParseResult parsed = spec.commandLine() == null ? null : spec.commandLine().getParseResult();
        if (parsed == null) {
            throw new IllegalStateException("command " + spec.name() + " was not parsed from a command line");
        }
        final CommandArguments arguments = new CommandArguments(spec);
        for (final OptionSpec option : parsed.matchedOptions()) {
            if (option.usageHelp() || option.versionHelp()) {
                continue;
            }
            arguments.options.put(option.longestName(), isFlag(option) ? null
                : new ArrayList<>(option.originalStringValues()));
        }
        for (final ArgSpec positional : parsed.matchedPositionals()) {
            arguments.positionals.addAll(positional.originalStringValues());
        }
        return arguments;
    }

    private static boolean isFlag(final OptionSpec option) {
        return option.arity().max() == 0;
    }

    /**
     * @param names options to leave out, by any of their names
     * @return this
     */
    public CommandArguments without(final String... names) {
        for (final String name : names) {
            options.remove(canonical(name).longestName());
        }
        return this;
    }

    private OptionSpec canonical(final String name) {
        final OptionSpec option = spec.findOption(name);
        if (option == null) {
            throw new IllegalArgumentException("command " + spec.name() + " has no option " + name);
        }
        return option;
    }

    /** @return the arguments: each option's values, then the positional parameters behind {@code --} */
    public List<String> toList() {
        final List<String> list = new ArrayList<>();
        for (final Map.Entry<String, List<String>> option : options.entrySet()) {
            if (option.getValue() == null) {
                list.add(option.getKey());
            } else {
                for (final String value : option.getValue()) {
                    list.add(option.getKey() + "=" + value);
                }
            }
        }
        if (!positionals.isEmpty()) {
            // After "--" a positional that looks like an option is still a positional.
            list.add("--");
            list.addAll(positionals);
        }
        return list;
    }
}
