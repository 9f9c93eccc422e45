package dev.ringside.engine.model;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.Locale;

import org.junit.jupiter.api.Assumptions;

/**
 * Which server models a test run covers. By default every model the JVM can run; a virtual-thread case
 * skips on a JDK older than 21. Two system properties narrow that for the second CI pass ({@code .ci/run}),
 * which runs only the virtual-thread cases on a JDK 21+:
 * {@code -Dringside.test.models=virtual} runs only the listed models (comma-separated), and
 * {@code -Dringside.test.requireVirtual=true} makes a JVM without virtual threads a failure, not a skip, so
 * that pass cannot turn green by skipping everything.
 */
final class SelectedModels {
    private SelectedModels() {
    }

    /**
     * Skips (or, where required, fails) the current test unless the model is selected and runnable.
     *
     * @param model the model the test case is about
     */
    static void assume(final ServerModel model) {
        final String selected = System.getProperty("ringside.test.models", "").trim();
        if (!selected.isEmpty()) {
            final boolean listed = Arrays.stream(selected.split(","))
                .anyMatch(name -> name.trim().toUpperCase(Locale.ROOT).equals(model.name()));
            Assumptions.assumeTrue(listed,
                "model " + model + " not selected (ringside.test.models=" + selected + ")");
        }
        if (model == ServerModel.VIRTUAL && !VirtualThreads.available()) {
            final String message = "virtual threads need JDK 21+; this is JDK " + Runtime.version().feature();
            if (Boolean.getBoolean("ringside.test.requireVirtual")) {
                fail(message + " (ringside.test.requireVirtual=true)");
            }
            Assumptions.abort(message);
        }
    }
}
