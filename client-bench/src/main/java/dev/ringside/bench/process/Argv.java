package dev.ringside.bench.process;

import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine.Model.CommandSpec;

/** The command line a run was started with, as the JSON documents record it. */
public final class Argv {
    private Argv() {
    }

    /**
     * @param spec the running command's spec, or {@code null}
     * @return {@code ringside}, the subcommand and its arguments, as given
     */
    public static List<String> of(final CommandSpec spec) {
        final List<String> argv = new ArrayList<>();
        argv.add("ringside");
        if (spec != null && spec.commandLine().getParseResult() != null) {
            // The original arguments start with the parent's: keep them from the subcommand's own name on.
            final List<String> args = spec.commandLine().getParseResult().originalArgs();
            final int ownName = args.indexOf(spec.name());
            argv.addAll(ownName < 0 ? args : args.subList(ownName, args.size()));
        } else if (spec != null) {
            argv.add(spec.name());
        }
        return argv;
    }
}
