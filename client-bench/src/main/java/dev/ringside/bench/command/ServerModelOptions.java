package dev.ringside.bench.command;

import picocli.CommandLine.Option;

/**
 * The options of the server models that take a size, declared once for {@code server} and for {@code compare}
 * (which passes them on to each model's server): pool threads, process-model workers, multi loops. A picocli
 * mixin; unset options are {@code null}, so each command applies its own default.
 */
public final class ServerModelOptions {
    @Option(names = "--threads", paramLabel = "N",
        description = "pool: threads in the fixed pool (default: one per CPU of this machine)")
    Integer threads;

    @Option(names = "--workers", paramLabel = "N",
        description = "process: worker processes sharing the ports (default: one per CPU of this machine)")
    Integer workers;

    @Option(names = "--loops", paramLabel = "N",
        description = "multi: selector loops sharing the TCP ports with SO_REUSEPORT (default: one per CPU of "
            + "this machine; server: 1 unless --model multi)")
    Integer loops;

    /** @return {@code --threads}, or {@code null} when not given */
    public Integer threads() {
        return threads;
    }

    /** @return {@code --workers}, or {@code null} when not given */
    public Integer workers() {
        return workers;
    }

    /** @return {@code --loops}, or {@code null} when not given */
    public Integer loops() {
        return loops;
    }
}
