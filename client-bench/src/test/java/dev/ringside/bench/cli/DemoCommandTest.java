package dev.ringside.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.ringside.bench.command.CommandLauncher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A short demo: a real server child process, real traffic, the report files, and the child stopped. */
class DemoCommandTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void shouldRunTheServerAsAChildDriveItAndStopIt() throws Exception {
        final PrintStream savedOut = System.out;
        final PrintStream savedErr = System.err;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final int status;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            // --no-pin: pinning would move this test JVM's threads onto one CPU for the rest of the build.
            status = CommandLauncher.run(new RingsideCommand(), "demo", "--connections", "200", "--rate", "2000",
                "--duration", "1s", "--warmup", "500ms", "--out", dir.toString(), "--no-pin");
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
        final String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, text);
        final Matcher pid = Pattern.compile("child process, pid (\\d+)").matcher(text);
        assertTrue(pid.find(), text);
        assertFalse(ProcessHandle.of(Long.parseLong(pid.group(1))).map(ProcessHandle::isAlive).orElse(false),
            "the child is stopped");
        assertTrue(text.contains("200 established of 200"), text);
        assertTrue(text.contains("2000 sent = 2000 completed + 0 failed + 0 in flight at the end"), text);
        assertTrue(text.contains("verdict: CLEAN (exit 0)"), text);
        assertTrue(text.contains("stopped the server child"), text);
        assertTrue(Pattern.compile("messages in\\s+[\\d,]+").matcher(text).find(), "server counters: " + text);
        for (final String file : new String[] {"demo.json", "demo.hlog", "demo.html", "server.log"}) {
            assertTrue(Files.size(dir.resolve(file)) > 0, file);
        }
    }
}
