package dev.ringside.bench.server;

import dev.ringside.bench.command.CommandLauncher;

/**
 * Runs {@code ringside stat} in a child JVM, so a test can watch its live output as a user would.
 */
public final class ChildStatMain {
    private ChildStatMain() {
    }

    /**
     * Entry point.
     *
     * @param args stat arguments
     */
    public static void main(final String[] args) {
        System.exit(CommandLauncher.run(new StatCommand(), args));
    }
}
