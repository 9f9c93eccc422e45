package dev.ringside.bench.sweep;

import java.util.List;
import java.util.Map;

import dev.ringside.bench.record.BenchResult;

/**
 * The service-level objectives a step is held to, as the sweep sees them: which were missed, and whether
 * any by a wide margin. The {@code --slo} parser (shared with {@code bench}) plugs in here.
 */
public interface Objectives {
    /** No objectives: every step meets them (a plain sweep). */
    Objectives NONE = new Objectives() {
        @Override
        public List<Miss> misses(final BenchResult result) {
            return List.of();
        }

        @Override
        public String describe() {
            return "none";
        }
    };

    /**
     * @param result a step's run
     * @return the objectives it missed; empty when it met every one
     */
    List<Miss> misses(BenchResult result);

    /** @return the objectives in one line, as given */
    String describe();

    /** @return latency objectives, label (e.g. {@code p99}) to the limit in µs, for the charts; empty for none */
    default Map<String, Double> latencyLimitsUs() {
        return Map.of();
    }

    /**
     * One missed objective.
     *
     * @param text what was missed, e.g. {@code p99 3.2ms > 1ms}
     * @param wide whether by a wide margin (the sweep stops after such a step)
     */
    record Miss(String text, boolean wide) {
    }
}
