package dev.ringside.bench.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import com.sun.security.auth.module.UnixSystem;
import dev.ringside.bench.command.CommandLauncher;
import dev.ringside.engine.counter.CountersFile;
import dev.ringside.engine.counter.EngineCounter;
import dev.ringside.engine.testing.ChildJvm;
import dev.ringside.engine.testing.LoopHarness;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import dev.ringside.engine.server.CountersLocation;

/**
 * {@code ringside stat} reads another process's file as untrusted input: corrupt lengths are one line and a
 * non-zero exit (never an OutOfMemoryError), labels cannot reach the terminal raw, a directory of another user
 * is refused, and a SIGKILLed server's stale counters are not shown as live.
 */
@Timeout(90)
class StatCommandTest {
    private static final long SELF = ProcessHandle.current().pid();
    /** Header offsets of {@link CountersFile}'s layout (its Javadoc). */
    private static final int MAGIC_OFFSET = 0;
    private static final int VERSION_OFFSET = 4;
    private static final int METADATA_LENGTH_OFFSET = 24;
    private static final int VALUES_LENGTH_OFFSET = 28;
    private static final int HEADER_LENGTH = 64;

    @TempDir
    Path dir;

    /** What one run of the command printed and returned. */
    private record Run(int status, String out, String err) {
    }

    private Run stat(final String... args) {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final var commandLine = CommandLauncher.commandLine(new StatCommand());
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        final String[] all = new String[args.length + 2];
        all[0] = "--dir";
        all[1] = dir.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        final int status = commandLine.execute(all);
        return new Run(status, out.toString(), err.toString());
    }

    /** A failure the user sees: one line on stderr naming the problem, non-zero exit, nothing else. */
    private static void assertOneLineFailure(final Run run, final String expected) {
        assertEquals(CommandLauncher.EXIT_FAILURE, run.status(), run.err());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().contains(expected), run.err());
        assertFalse(run.err().contains("Exception") || run.err().contains("Error"), run.err());
        assertEquals("", run.out());
    }

    private CountersFile publish(final String label) {
        final CountersFile file = CountersFile.create(CountersLocation.fileIn(dir.toFile(), SELF), 4);
        final CountersManager manager = file.newManager();
        final AtomicCounter counter = manager.newCounter("loop-0: " + label, EngineCounter.BYTES_IN.id());
        counter.set(42);
        manager.newCounter("loop-0: second", EngineCounter.BYTES_OUT.id()).set(7);
        return file;
    }

    private void corrupt(final Consumer<RandomAccessFile> damage) throws Exception {
        try (RandomAccessFile raw = new RandomAccessFile(CountersLocation.fileIn(dir.toFile(), SELF), "rw")) {
            damage.accept(raw);
        }
    }

    private static void putInt(final RandomAccessFile raw, final long offset, final int value) {
        try {
            raw.seek(offset);
            // CountersFile and Agrona write native (little-endian on x86/ARM) ints.
            raw.writeInt(Integer.reverseBytes(value));
        } catch (final java.io.IOException ex) {
            throw new AssertionError(ex);
        }
    }

    @Test
    void shouldShowCountersOfThisLiveProcessAndCreatePrivateFiles() throws Exception {
        final Path fresh = dir.resolve("fresh");
        final File path = CountersLocation.fileIn(fresh.toFile(), SELF);
        try (CountersFile file = CountersFile.create(path, 4)) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(path.toPath())));
            file.newManager().newCounter("loop-0: bytes in", EngineCounter.BYTES_IN.id()).set(42);
            dir = fresh;
            final Run run = stat("--once", Long.toString(SELF));
            assertEquals(0, run.status(), run.err());
            assertTrue(run.out().startsWith("ringside stat: pid " + SELF + ", up "), run.out());
            assertTrue(run.out().matches("(?s).*bytes in\\s+42\\n.*"), run.out());
        }
    }

    @Test
    void shouldRefuseEachCorruptionWithOneLine() throws Exception {
        final String pid = Long.toString(SELF);
        final int labelLengthOffset = HEADER_LENGTH + CountersReader.LABEL_OFFSET;
        try (CountersFile file = publish("bytes in")) {
            assertEquals(SELF, file.pid());
            // Catches: Agrona's forEach allocating a 2 GiB label (OutOfMemoryError and a stack trace).
            corrupt(raw -> putInt(raw, labelLengthOffset, 0x7fffffff));
            assertOneLineFailure(stat("--once", pid), "label length of 2147483647");
            corrupt(raw -> putInt(raw, labelLengthOffset, -5));
            assertOneLineFailure(stat("--once", pid), "label length of -5");
            corrupt(raw -> putInt(raw, labelLengthOffset, 8));
            // A record state Agrona never writes.
            corrupt(raw -> putInt(raw, HEADER_LENGTH + CountersReader.METADATA_LENGTH, 7));
            assertOneLineFailure(stat("--once", pid), "record state 7");
            corrupt(raw -> putInt(raw, HEADER_LENGTH + CountersReader.METADATA_LENGTH,
                CountersReader.RECORD_ALLOCATED));
            assertEquals(0, stat("--once", pid).status(), "repaired");

            // Header lengths that do not fit the file, or do not agree.
            corrupt(raw -> putInt(raw, METADATA_LENGTH_OFFSET, 0x7fffffff));
            assertOneLineFailure(stat("--once", pid), "is corrupt");
            corrupt(raw -> putInt(raw, METADATA_LENGTH_OFFSET, 4 * CountersReader.METADATA_LENGTH));
            corrupt(raw -> putInt(raw, VALUES_LENGTH_OFFSET, -128));
            assertOneLineFailure(stat("--once", pid), "is corrupt");
            corrupt(raw -> putInt(raw, VALUES_LENGTH_OFFSET, 400 * CountersReader.COUNTER_LENGTH));
            assertOneLineFailure(stat("--once", pid), "is corrupt");
            corrupt(raw -> putInt(raw, VALUES_LENGTH_OFFSET, 4 * CountersReader.COUNTER_LENGTH));
            corrupt(raw -> putInt(raw, VERSION_OFFSET, 99));
            assertOneLineFailure(stat("--once", pid), "layout version 99");
            corrupt(raw -> putInt(raw, VERSION_OFFSET, CountersFile.VERSION));
            corrupt(raw -> putInt(raw, MAGIC_OFFSET, 0x12345678));
            assertOneLineFailure(stat("--once", pid), "is not a ringside counters file");
            corrupt(raw -> putInt(raw, MAGIC_OFFSET, CountersFile.MAGIC));
            assertEquals(0, stat("--once", pid).status(), "repaired");
            // Truncated below what the header describes, then below the header itself.
            corrupt(raw -> setLength(raw, HEADER_LENGTH + 100));
            assertOneLineFailure(stat("--once", pid), "need more than the file's 164 bytes");
            corrupt(raw -> setLength(raw, 10));
            assertOneLineFailure(stat("--once", pid), "is not a ringside counters file (10 bytes)");
            // The listing reports a broken file as an entry of its own instead of failing.
            final Run listing = stat("--json");
            assertEquals(0, listing.status(), listing.err());
            assertTrue(listing.out().contains("\"error\": ") && listing.out().contains("(10 bytes)"), listing.out());
        }
    }

    private static void setLength(final RandomAccessFile raw, final long length) {
        try {
            raw.setLength(length);
        } catch (final java.io.IOException ex) {
            throw new AssertionError(ex);
        }
    }

    @Test
    void shouldNeutraliseEscapeSequencesInLabels() throws Exception {
        final String evil = "bytes \033[2J\033]0;owned\007 in\r\nfake 99\u00e9\\";
        try (CountersFile file = publish(evil)) {
            assertEquals(SELF, file.pid());
            for (final Run run : new Run[] {stat("--once", Long.toString(SELF)), stat("--json")}) {
                assertEquals(0, run.status(), run.err());
                for (final char c : run.out().toCharArray()) {
                    assertTrue(c == '\n' || c >= 0x20 && c < 0x7f, "raw character " + (int) c + " in " + run.out());
                }
            }
            final String out = stat("--once", Long.toString(SELF)).out();
            // Catches: a label printed as stored (the terminal clears, retitles, and shows a forged line).
            assertTrue(out.contains("bytes \\x1b[2J\\x1b]0;owned\\x07 in\\x0d\\x0afake 99\\xc3\\xa9\\\\"), out);
            assertFalse(out.lines().anyMatch(line -> line.startsWith("fake")), out);
        }
    }

    @Test
    void shouldRefuseADirectoryThatOthersCanWrite() throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertOneLineFailure(stat("--once"), "is writable by others (rwxrwxrwx)");
        final IllegalStateException refused = org.junit.jupiter.api.Assertions.assertThrows(
            IllegalStateException.class, () -> CountersFile.create(CountersLocation.fileIn(dir.toFile(), SELF), 4));
        assertTrue(refused.getMessage().contains("writable by others"), refused.getMessage());
    }

    @Test
    void shouldRefuseADirectoryOfAnotherUser() throws Exception {
        assumeTrue(new UnixSystem().getUid() == 0, "changing a directory's owner needs root");
        final Path theirs = Files.createDirectory(dir.resolve("theirs"),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.setAttribute(theirs, "unix:uid", 65534); // nobody
        dir = theirs;
        assertOneLineFailure(stat("--once"), "belongs to uid 65534, not to you (uid 0)");
        assertOneLineFailure(stat("--json"), "belongs to uid 65534");
        // A server refuses to publish there too (it would hand its counters to that user).
        final IllegalStateException refused = org.junit.jupiter.api.Assertions.assertThrows(
            IllegalStateException.class, () -> CountersFile.create(CountersLocation.fileIn(theirs.toFile(), SELF), 4));
        assertTrue(refused.getMessage().contains("belongs to uid 65534"), refused.getMessage());
        // A file planted by another user in our own directory is refused as well.
        dir = dir.getParent();
        final Path planted = CountersLocation.fileIn(dir.toFile(), SELF).toPath();
        Files.write(planted, new byte[HEADER_LENGTH]);
        Files.setAttribute(planted, "unix:uid", 65534);
        assertOneLineFailure(stat("--once", Long.toString(SELF)), "belongs to uid 65534");
    }

    @Test
    void shouldReportAKilledServerAsNotRunning() throws Exception {
        final ProcessBuilder builder = new ProcessBuilder(ChildJvm.command(ChildServerMain.class, "--tcp",
            "127.0.0.1:0")).redirectErrorStream(true);
        builder.environment().put("RINGSIDE_COUNTERS_DIR", dir.toString());
        final Process child = builder.start();
        final String pid = Long.toString(child.pid());
        try {
            final BufferedReader output = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = output.readLine()) != null && !line.startsWith("counters ")) {
                continue;
            }
            assertTrue(line != null, "child server did not start");
            final Run live = stat("--json");
            assertTrue(live.out().contains("\"pid\": " + pid) && live.out().contains("\"alive\": true"), live.out());
            assertTrue(stat("--once").out().startsWith("ringside stat: pid " + pid + ", up "));
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hook, the counters file stays behind
            child.waitFor(30, TimeUnit.SECONDS);
        }
        LoopHarness.await(() -> !child.isAlive());
        assertTrue(CountersLocation.fileIn(dir.toFile(), child.pid()).exists(), "a SIGKILLed server leaves its file");
        // Catches: the stale file shown as a live server.
        final Run named = stat("--once", pid);
        assertEquals(0, named.status(), named.err());
        assertTrue(named.out().startsWith("ringside stat: pid " + pid + " is not running"), named.out());
        assertOneLineFailure(stat("--once"), "counters left by servers that are not running: pids [" + pid + "]");
        final Run json = stat("--json");
        assertTrue(json.out().contains("\"alive\": false") && json.out().contains("\"uptimeS\": null"), json.out());
    }
}
