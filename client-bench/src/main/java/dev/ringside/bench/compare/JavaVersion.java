package dev.ringside.bench.compare;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The feature release (17, 21, 25, ...) of a {@code java} executable: this JVM's own when it is the one, else
 * what {@code java -version} prints. Virtual threads need 21.
 */
final class JavaVersion {
    /** The first release with virtual threads. */
    static final int VIRTUAL_THREADS = 21;
    private static final Pattern VERSION = Pattern.compile("version \"(\\d+)(?:\\.(\\d+))?");

    private JavaVersion() {
    }

    /**
     * @param java a {@code java} executable
     * @return its feature release, or -1 when it cannot be told (then the server's own check decides)
     */
    static int of(final String java) {
        if (java.equals(ServerChild.currentJava())) {
            return Runtime.version().feature();
        }
        try {
            final Process process = new ProcessBuilder(java, "-version").redirectErrorStream(true).start();
            final String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return -1;
            }
            return parse(text);
        } catch (final IOException ex) {
            return -1;
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /**
     * @param versionOutput what {@code java -version} printed
     * @return the feature release ({@code 1.8} is 8), or -1
     */
    static int parse(final String versionOutput) {
        final Matcher matcher = VERSION.matcher(versionOutput);
        if (!matcher.find()) {
            return -1;
        }
        final int first = Integer.parseInt(matcher.group(1));
        return first == 1 && matcher.group(2) != null ? Integer.parseInt(matcher.group(2)) : first;
    }
}
