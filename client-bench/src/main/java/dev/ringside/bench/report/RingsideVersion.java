package dev.ringside.bench.report;

/** The version every report and {@code ringside --version} state. */
public final class RingsideVersion {
    /** The release, as in the Maven project version without {@code -SNAPSHOT}. */
    public static final String VERSION = "0.1.0";
    /** The version of the JSON documents ({@code schemaVersion}); raised when a key changes meaning or goes. */
    public static final int SCHEMA_VERSION = 1;

    private RingsideVersion() {
    }
}
