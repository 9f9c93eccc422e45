package dev.ringside.bench.server;

import dev.ringside.bench.command.CommandLauncher;
/**
 * Runs {@code ringside server} from the engine alone: the entry point of the process model's worker
 * processes, which need no load generator on their class path.
 */
public final class ServerMain {
    private ServerMain() {
    }

    /**
     * Runs the server command and exits with its status.
     *
     * @param args the {@code server} command's arguments
     */
    public static void main(final String[] args) {
        // Named as users know it, so a worker's one-line error reads like the supervisor's.
        System.exit(CommandLauncher.commandLine(new ServerCommand()).setCommandName("ringside server").execute(args));
    }
}
