package dev.ringside.bench.command;

import java.io.PrintWriter;

import picocli.CommandLine;

/**
 * Runs a picocli command with Ringside's error policy: a usage mistake or a failure the user can fix is
 * one line on stderr and a non-zero exit, never a stack trace ({@code RINGSIDE_DEBUG=1} shows it).
 */
public final class CommandLauncher {
    /** Exit status for a command-line mistake. */
    public static final int EXIT_USAGE = 2;
    /** Exit status for a failure while running. */
    public static final int EXIT_FAILURE = 1;

    private CommandLauncher() {
    }

    /**
     * Prepares a command line with the error policy.
     *
     * @param command the annotated command object
     * @return the configured command line
     */
    public static CommandLine commandLine(final Object command) {
        final CommandLine commandLine = new CommandLine(command);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setParameterExceptionHandler((ex, args) -> {
            final CommandLine failed = ex.getCommandLine();
            final PrintWriter err = failed.getErr();
            err.println(failed.getCommandSpec().qualifiedName() + ": " + firstLine(ex.getMessage())
                + " (see '" + failed.getCommandSpec().qualifiedName() + " --help')");
            err.flush();
            return EXIT_USAGE;
        });
        commandLine.setExecutionExceptionHandler((ex, failed, parseResult) -> {
            final PrintWriter err = failed.getErr();
            final String name = failed.getCommandSpec().qualifiedName();
            if (System.getenv("RINGSIDE_DEBUG") != null) {
                ex.printStackTrace(err);
            }
            if (ex instanceof CommandLine.IExitCodeGenerator) {
                // A failure that carries its own status (a load generator that cannot run here, say).
                err.println(name + ": " + firstLine(ex.getMessage()));
                err.flush();
                return ((CommandLine.IExitCodeGenerator) ex).getExitCode();
            }
            if (ex instanceof IllegalArgumentException) {
                err.println(name + ": " + firstLine(ex.getMessage()));
                err.flush();
                return EXIT_USAGE;
            }
            err.println(name + ": " + describe(ex));
            err.flush();
            return EXIT_FAILURE;
        });
        return commandLine;
    }

    /**
     * Parses and runs.
     *
     * @param command the annotated command object
     * @param args    the arguments
     * @return the exit status
     */
    public static int run(final Object command, final String... args) {
        return commandLine(command).execute(args);
    }

    private static String describe(final Exception ex) {
        final String message = ex.getMessage();
        if (message == null || message.isEmpty()) {
            return ex.getClass().getSimpleName() + " (set RINGSIDE_DEBUG=1 for details)";
        }
        if (ex instanceof java.io.IOException || ex instanceof IllegalStateException) {
            return firstLine(message);
        }
        return ex.getClass().getSimpleName() + ": " + firstLine(message) + " (set RINGSIDE_DEBUG=1 for details)";
    }

    private static String firstLine(final String message) {
        if (message == null) {
            return "error";
        }
        final int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).trim();
    }
}
