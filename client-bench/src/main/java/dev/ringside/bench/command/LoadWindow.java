package dev.ringside.bench.command;

import dev.ringside.engine.config.Units;
import picocli.CommandLine.Option;

/**
 * The options that shape every load the generator puts on a server, declared once for every command that
 * drives one ({@code bench} and {@code sweep} through their load options, {@code compare}): message size,
 * measurement window, warm-up and reply timeout. A picocli mixin; the {@code --size} help is generated per
 * protocol from the registry ({@link ProtocolFlags#install}).
 */
public final class LoadWindow {
    @Option(names = ProtocolFlags.SIZE_OPTION, defaultValue = "64", paramLabel = "BYTES")
    String size;

    @Option(names = {"-d", "--duration"}, defaultValue = "10s", paramLabel = "DURATION",
        description = "measurement window (compare: per cell; sweep: per step) (default: ${DEFAULT-VALUE})")
    String duration;

    @Option(names = "--warmup", defaultValue = "2s", paramLabel = "DURATION",
        description = "load before measuring; its samples are discarded (default: ${DEFAULT-VALUE})")
    String warmup;

    @Option(names = "--timeout", defaultValue = "2s", paramLabel = "DURATION",
        description = "reply timeout: TCP counts a response timeout, UDP counts the request lost "
            + "(default: ${DEFAULT-VALUE})")
    String timeout;

    /**
     * @return the message size in bytes
     * @throws IllegalArgumentException when it does not parse or is too large
     */
    public int sizeBytes() {
        final long bytes = Units.parseBytes(size);
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("--size too large: " + size);
        }
        return (int) bytes;
    }

    /** @return the measurement window */
    public long durationNs() {
        return Units.parseDurationNs(duration);
    }

    /** @return the warm-up before it */
    public long warmupNs() {
        return Units.parseDurationNs(warmup);
    }

    /** @return the reply timeout */
    public long timeoutNs() {
        return Units.parseDurationNs(timeout);
    }
}
