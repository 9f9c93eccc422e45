package dev.ringside.engine.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * Runs a real peer program (sockperf, wrk, curl, chromium) for interop tests. A missing program skips the
 * test with a message naming the Debian package to install, except in CI ({@code CI=true}, which
 * {@code .ci/run} exports), where the programs are installed on purpose and a missing one is a failure.
 * Every run is bounded in time and killed past it. Every test that needs a program asks here, so none can
 * skip silently in CI.
 */
public final class ExternalTool {
    private ExternalTool() {
    }

    /**
     * Finds a program on the {@code PATH} (or in the sbin directories).
     *
     * @param program       its name
     * @param debianPackage the package that provides it
     * @return its path
     */
    public static Path require(final String program, final String debianPackage) {
        final Path found = find(program);
        if (found != null) {
            return found;
        }
        final String message = "'" + program + "' is not installed: apt-get install -y " + debianPackage;
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(message + " (CI must run the interop tests)");
        }
        Assumptions.abort(message);
        return null;
    }

    /**
     * @param program a program name
     * @return its path on the {@code PATH}, or {@code null}
     */
    public static Path find(final String program) {
        // Servers such as nginx live in sbin, which a user's PATH may leave out.
        final String path = System.getenv("PATH") + File.pathSeparator + "/usr/local/sbin:/usr/sbin:/sbin";
        if (path != null) {
            for (final String dir : path.split(File.pathSeparator)) {
                final Path candidate = Path.of(dir, program);
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }

    /**
     * Runs a program to completion.
     *
     * @param timeoutSeconds how long it may take before it is killed and the test fails
     * @param command        program and arguments
     * @return its standard output and error, interleaved
     */
    public static String run(final int timeoutSeconds, final String... command) {
        try {
            final Path output = Files.createTempFile("ringside-interop", ".out");
            try {
                final Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
                if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                    fail(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s:\n"
                        + Files.readString(output, StandardCharsets.UTF_8));
                }
                final String text = Files.readString(output, StandardCharsets.UTF_8);
                assertTrue(process.exitValue() == 0,
                    () -> String.join(" ", command) + " exited " + process.exitValue() + ":\n" + text);
                return text;
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (final IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", ex);
        }
    }
}
