package dev.ringside.bench.cli;

import dev.ringside.bench.compare.CompareCommand;
import dev.ringside.bench.command.CommandLauncher;
import dev.ringside.bench.server.ServerCommand;
import dev.ringside.bench.server.StatCommand;
import picocli.CommandLine.Command;

/**
 * {@code ringside}: the entry point. Each job is a subcommand; {@code ringside help COMMAND} explains one.
 */
// The bundle holds each subcommand's wording of the options it shares through a mixin (bench.command).
@Command(name = "ringside", mixinStandardHelpOptions = true, version = "ringside 0.1.0",
    resourceBundle = "dev.ringside.bench.command.OptionHelp",
    description = "A raw-selector NIO server engine and a load generator built on it.",
    subcommands = {
        ServerCommand.class,
        StatCommand.class,
        BenchCommand.class,
        DemoCommand.class,
        MergeCommand.class,
        CompareCommand.class,
        SweepCommand.class,
        ClientCommand.class,
        picocli.CommandLine.HelpCommand.class
    })
public final class RingsideCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /**
     * Runs the command line and exits with its status.
     *
     * @param args the arguments
     */
    public static void main(final String[] args) {
        System.exit(CommandLauncher.run(new RingsideCommand(), args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
