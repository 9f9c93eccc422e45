package dev.ringside.bench.server;

import dev.ringside.bench.command.CommandLauncher;

/**
 * Runs {@code ringside server} in a child JVM for tests that need a separate process (a lowered file
 * descriptor limit, signals).
 */
public final class ChildServerMain {
    private ChildServerMain() {
    }

    /**
     * Entry point.
     *
     * @param args server arguments
     */
    public static void main(final String[] args) {
        System.exit(CommandLauncher.run(new ServerCommand(), args));
    }
}
