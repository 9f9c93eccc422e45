package dev.ringside.bench.command;

import dev.ringside.engine.config.IdleMode;
import picocli.CommandLine.Option;

/**
 * {@code --idle block|spin|backoff}, declared once for {@code bench} and {@code sweep} (the generator's loops) and
 * {@code server} (the server's): the engine's {@link IdleMode} for both. A picocli mixin; server's wording is in
 * {@code OptionHelp.properties}.
 */
public final class IdleOption {
    @Option(names = "--idle", defaultValue = "block", paramLabel = "MODE", descriptionKey = "idle",
        description = "block | spin | backoff: what generator threads do when idle (default: ${DEFAULT-VALUE})")
    IdleMode mode;

    /** @return the mode given, {@code block} when not */
    public IdleMode mode() {
        return mode;
    }
}
