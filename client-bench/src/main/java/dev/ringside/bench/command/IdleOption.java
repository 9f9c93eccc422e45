package dev.ringside.bench.command;

import dev.ringside.engine.config.IdleMode;
import picocli.CommandLine.Option;

/**
 * {@code --idle block|spin|backoff}, declared once for {@code bench} and {@code sweep} (the generator's loops, default
 * {@code backoff}) and {@code server} (the server's, default {@code block}): the engine's {@link IdleMode} for both.
 * A picocli mixin; server's wording is in {@code OptionHelp.properties}.
 */
public final class IdleOption {
    // No defaultValue: the declaring command's constructor argument is the default (picocli takes a field's initial
    // value as its default and shows it as ${DEFAULT-VALUE}): backoff for the generator, block for a server.
    @Option(names = "--idle", paramLabel = "MODE", descriptionKey = "idle",
        description = "backoff | block | spin: what generator threads do when idle; backoff polls up to 100 us after "
            + "work, then blocks (default: ${DEFAULT-VALUE})")
    IdleMode mode;

    /** A server's: {@code block} unless given. */
    public IdleOption() {
        this(IdleMode.BLOCK);
    }

    /** @param defaultMode the mode when {@code --idle} is not given */
    public IdleOption(final IdleMode defaultMode) {
        this.mode = defaultMode;
    }

    /** @return the mode given, the default when not */
    public IdleMode mode() {
        return mode;
    }
}
