package dev.ringside.engine.counter;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import com.sun.security.auth.module.UnixSystem;

/**
 * Keeps the counters directory and its files private to the user running Ringside.
 *
 * <p>The default directory sits in the shared {@code /tmp}, where another user can create
 * {@code /tmp/ringside-<you>} first: then that user decides what your {@code ringside stat} reads (forged
 * labels, forged figures) and can read or replace what your servers publish. So a directory is created
 * {@code 0700} and files {@code 0600}; an existing directory or file is used only when it is not a symbolic link,
 * is owned by this user, and (a directory) cannot be written by group or others. Anything else is refused with
 * one line saying what to do; nothing is silently repaired, because the path may be one the user chose
 * ({@code RINGSIDE_COUNTERS_DIR}).
 */
public final class PrivateDirectory {
    /** {@code rwx------}. */
    static final Set<PosixFilePermission> DIRECTORY_PERMISSIONS = PosixFilePermissions.fromString("rwx------");
    /** {@code rw-------}. */
    static final Set<PosixFilePermission> FILE_PERMISSIONS = PosixFilePermissions.fromString("rw-------");

    private PrivateDirectory() {
    }

    /**
     * Creates the directory ({@code 0700}) when it is missing, else checks it is safe to use.
     *
     * @param directory where counters files go
     * @throws IllegalStateException when it exists and belongs to someone else or others can write it
     */
    public static void ensure(final Path directory) {
        try {
            final Path parent = directory.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(DIRECTORY_PERMISSIONS));
            // The umask only removes bits; set them anyway so the result never depends on it.
            Files.setPosixFilePermissions(directory, DIRECTORY_PERMISSIONS);
        } catch (final FileAlreadyExistsException ex) {
            verify(directory);
        } catch (final IOException ex) {
            throw new IllegalStateException("cannot create counters directory " + directory + ": " + ex.getMessage(),
                ex);
        }
    }

    /**
     * Checks an existing directory is safe to read counters from: not a link, this user's, not writable by
     * others.
     *
     * @param directory the counters directory
     * @throws IllegalStateException when it is not
     */
    public static void verify(final Path directory) {
        if (Files.isSymbolicLink(directory) || !Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalStateException("counters directory " + directory + " is not a directory (or is a"
                + " symbolic link); remove it, or set RINGSIDE_COUNTERS_DIR to a directory of your own");
        }
        checkOwner(directory, "counters directory");
        final Set<PosixFilePermission> permissions = permissions(directory);
        if (permissions.contains(PosixFilePermission.GROUP_WRITE)
            || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new IllegalStateException("counters directory " + directory + " is writable by others ("
                + PosixFilePermissions.toString(permissions) + "); run 'chmod 700 " + directory + "'");
        }
    }

    /**
     * Checks a counters file is a regular file (not a link) owned by this user.
     *
     * @param file the file
     * @throws IllegalStateException when it is not
     */
    public static void verifyFile(final Path file) {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalStateException(file + " is not a regular file (or is a symbolic link)");
        }
        checkOwner(file, "counters file");
    }

    private static void checkOwner(final Path path, final String what) {
        final long owner = ownerUid(path);
        final long self = new UnixSystem().getUid();
        if (owner != self) {
            throw new IllegalStateException(what + " " + path + " belongs to uid " + owner + ", not to you (uid "
                + self + "): another user could forge or read your counters; remove it, or set"
                + " RINGSIDE_COUNTERS_DIR to a directory of your own");
        }
    }

    private static long ownerUid(final Path path) {
        try {
            return ((Number) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
        } catch (final IOException ex) {
            throw new IllegalStateException("cannot read the owner of " + path + ": " + ex.getMessage(), ex);
        }
    }

    private static Set<PosixFilePermission> permissions(final Path path) {
        try {
            return Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
        } catch (final IOException ex) {
            throw new IllegalStateException("cannot read the permissions of " + path + ": " + ex.getMessage(), ex);
        }
    }
}
