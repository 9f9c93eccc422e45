package dev.ringside.bench.command;

import picocli.CommandLine.Option;

/**
 * {@code --no-progress}, declared once for {@code bench}, {@code sweep} and {@code demo}: no progress line on
 * stderr (scripts and CI logs). A picocli mixin.
 */
public final class ProgressSwitch {
    @Option(names = "--no-progress", descriptionKey = "no-progress", description = "no progress line on stderr")
    boolean off;

    /** @return whether to print the progress line */
    public boolean shown() {
        return !off;
    }
}
