package dev.ringside.bench.command;

import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine.Option;

/**
 * {@code --slo OBJECTIVE} (repeatable), declared once for {@code bench}, {@code sweep}, {@code compare} and
 * {@code merge}, which all read one objective the same way ({@code verdict.Slo}) and use them differently: bench
 * and merge judge a run, sweep and compare search for the highest rate meeting them. A picocli mixin; that use
 * is said in each command's help by {@code OptionHelp.properties}, bench's wording being the default.
 */
public final class SloList {
    @Option(names = "--slo", paramLabel = "OBJECTIVE", descriptionKey = "slo",
        description = "check at the end, exit 3 when missed (repeatable): p99=2ms, p99.9=10ms, max=50ms (corrected "
            + "latency), errors=0 or errors=0.1%%, rate=99%% (of --rate) or rate=5000 (msg/s)")
    List<String> texts = new ArrayList<>();

    /** @return the objectives as given, in order */
    public List<String> texts() {
        return texts;
    }
}
