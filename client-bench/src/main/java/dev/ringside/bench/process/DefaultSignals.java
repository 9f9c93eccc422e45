package dev.ringside.bench.process;

import java.util.ArrayList;
import java.util.List;

/**
 * Starts a child with SIGINT at its default disposition. A shell that starts a background job ({@code &},
 * {@code nohup}, some CI runners) makes it ignore SIGINT, every child inherits that, and a JVM that starts with
 * SIGINT ignored never hears the Ctrl-C a parent passes on. GNU env (coreutils 8.31 or later) resets it and
 * execs the command, so the child's pid is still the command's own.
 */
public final class DefaultSignals {
    private DefaultSignals() {
    }

    /**
     * @param command a command line
     * @return the same, run through {@code env --default-signal=INT}
     */
    public static List<String> prefixed(final List<String> command) {
        final List<String> prefixed = new ArrayList<>(List.of("env", "--default-signal=INT"));
        prefixed.addAll(command);
        return prefixed;
    }
}
