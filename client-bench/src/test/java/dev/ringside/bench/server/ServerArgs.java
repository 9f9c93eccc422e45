package dev.ringside.bench.server;

import java.io.PrintStream;
import dev.ringside.bench.command.CommandLauncher;
import dev.ringside.engine.server.ServerSettings;

/** A {@code ringside server} command line parsed as the launcher parses it, for tests of what the flags mean. */
final class ServerArgs {
    private static final PrintStream NOWHERE = new PrintStream(PrintStream.nullOutputStream());

    private ServerArgs() {
    }

    /**
     * @param args the arguments after {@code server}
     * @return the command with its flags set
     */
    static ServerCommand parse(final String... args) {
        final ServerCommand command = new ServerCommand();
        CommandLauncher.commandLine(command).parseArgs(args);
        return command;
    }

    /**
     * @param args the arguments after {@code server}
     * @return the settings they make (anything the command prints on the way is dropped)
     */
    static ServerSettings settings(final String... args) {
        return parse(args).settings(NOWHERE);
    }
}
