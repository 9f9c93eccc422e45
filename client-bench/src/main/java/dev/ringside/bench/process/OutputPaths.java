package dev.ringside.bench.process;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks, before anything runs, that every output a command was asked to write can be written: a run of
 * minutes must not end in "cannot write". A problem is an {@link IllegalArgumentException} naming the flag
 * (exit status 2).
 */
public final class OutputPaths {
    private OutputPaths() {
    }

    /**
     * @param flag the option, e.g. {@code --json}
     * @param file the file it names, or {@code null} when not given
     * @throws IllegalArgumentException when its directory is missing or not writable, or it is a directory
     */
    public static void checkFile(final String flag, final Path file) {
        if (file == null) {
            return;
        }
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(flag + " " + file + ": is a directory; give a file name");
        }
        if (Files.exists(file) && !Files.isWritable(file)) {
            throw new IllegalArgumentException(flag + " " + file + ": the file exists and is not writable");
        }
        final Path parent = file.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new IllegalArgumentException(flag + " " + file + ": directory " + parent + " does not exist");
        }
        if (!Files.isWritable(parent)) {
            throw new IllegalArgumentException(flag + " " + file + ": directory " + parent + " is not writable");
        }
    }

    /**
     * @param flag the option, e.g. {@code --out}
     * @param dir  a directory that will be used, created if missing; {@code null} when not given
     * @throws IllegalArgumentException when it is a file, or its nearest existing ancestor is not writable
     */
    public static void checkDirectory(final String flag, final Path dir) {
        if (dir == null) {
            return;
        }
        Path existing = dir.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing)) {
            throw new IllegalArgumentException(flag + " " + dir + ": " + existing + " is not a directory");
        }
        if (!Files.isWritable(existing)) {
            throw new IllegalArgumentException(flag + " " + dir + ": directory " + existing + " is not writable");
        }
    }
}
