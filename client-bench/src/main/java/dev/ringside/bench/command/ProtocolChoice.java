package dev.ringside.bench.command;

import picocli.CommandLine.Option;

/**
 * {@code --protocol NAME}, declared once for every command that speaks one ({@code bench}, {@code sweep},
 * {@code compare}, {@code server}). A picocli mixin; its help (one line per protocol the command offers) and the
 * protocols' own options are installed by {@link ProtocolFlags#install}, so each command lists its own.
 */
public final class ProtocolChoice {
    @Option(names = ProtocolFlags.PROTOCOL_OPTION, defaultValue = "echo", paramLabel = "NAME")
    String name;

    /** @return the protocol's name as given, {@code echo} when not */
    public String name() {
        return name;
    }
}
