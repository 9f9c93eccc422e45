package dev.ringside.bench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.ringside.bench.record.IntervalSample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Reading a process tree's cost from /proc, and dividing the server's CPU time by the window's replies. */
class ProcessTreeTest {
    /** A pid no process has (above the kernel's pid_max), so only the fake /proc below is read. */
    private static final long FAKE_PID = 999_999_999L;

    @TempDir
    Path dir;

    @Test
    void shouldReadCpuTicksAfterACommandNameWithSpacesAndParentheses() {
        final String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 9 0 0 0 123 45 6 7 20 0 31 0 99 0 0";
        assertEquals(123 + 45, ProcessTree.cpuTicks(stat));
    }

    @Test
    void shouldReadStatusValuesAndTreatAMissingOneAsZero() {
        final String status = "Name:\tjava\nVmHWM:\t   81234 kB\nVmRSS:\t   70000 kB\nThreads:\t27\n";
        assertEquals(81_234, ProcessTree.statusValue(status, "VmHWM:"));
        assertEquals(27, ProcessTree.statusValue(status, "Threads:"));
        assertEquals(0, ProcessTree.statusValue("Name:\tzombie\nThreads:\t1\n", "VmHWM:"));
    }

    @Test
    @Timeout(30)
    void shouldSumCpuThreadsAndPeakMemoryOverARealProcessAndItsChildren() throws Exception {
        assumeTrue(ProcessTree.supported(), "no /proc");
        // A shell with two children: three processes, each with its own memory.
        final Process shell = new ProcessBuilder("sh", "-c", "sleep 60 & sleep 60 & wait").start();
        try {
            final ProcessTree tree = new ProcessTree(shell.pid());
            ProcessTree.Sample sample = tree.sample();
            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (sample.processes() < 3 && System.nanoTime() - deadlineNs < 0) {
                shell.waitFor(10, TimeUnit.MILLISECONDS); // the children are forked as the shell runs
                sample = tree.sample();
            }
            assertEquals(3, sample.processes());
            assertEquals(3, sample.threads(), "one thread each");
            assertEquals(3, tree.maxProcesses());
            assertTrue(tree.peakRssBytes() > 3 * 256 * 1024, "three processes' peaks: " + tree.peakRssBytes());
            assertTrue(sample.cpuNs() >= 0);
        } finally {
            shell.descendants().forEach(ProcessHandle::destroyForcibly);
            shell.destroyForcibly();
            shell.waitFor(10, TimeUnit.SECONDS);
        }
        final ProcessTree self = new ProcessTree(ProcessHandle.current().pid());
        final ProcessTree.Sample me = self.sample();
        assertTrue(me.cpuNs() > 0, "this JVM has run");
        assertTrue(me.threads() > 5, "a JVM has threads");
        assertTrue(self.contextSwitches() > me.threads(), "every thread has been switched out at least once");
    }

    @Test
    void shouldDivideTheWindowsCpuTimeByTheWindowsReplies() throws Exception {
        final ProcessTree tree = new ProcessTree(FAKE_PID, dir, 100);
        write(100, 20, 50_000);
        switches(1, 10, 5);
        final ServerCostMeter meter = new ServerCostMeter(tree, 2, 2);
        write(140, 20, 60_000);
        switches(1, 20, 5);
        meter.onInterval(sample(IntervalSample.Phase.WARMUP, 500));
        write(150, 20, 60_000);
        switches(2, 25, 5);
        meter.onInterval(sample(IntervalSample.Phase.WARMUP, 500)); // ends exactly at the window's start
        write(250, 31, 70_000);
        switches(2, 1000, 5);
        meter.onInterval(sample(IntervalSample.Phase.MEASURING, 1000));
        write(350, 25, 65_000);
        switches(2, 2025, 530);
        meter.onInterval(sample(IntervalSample.Phase.MEASURING, 1000));
        write(900, 25, 65_000);
        switches(3, 9999, 999);
        meter.onInterval(sample(IntervalSample.Phase.DRAINING, 3));
        meter.finish();
        // 200 ticks of 10 ms = 2 s of CPU over 2 s and 2000 replies.
        assertEquals(2_000_000_000L, meter.windowCpuNs());
        assertEquals(2000, meter.measuredReplies());
        assertEquals(1000.0, meter.cpuUsPerMessage(), 1e-9);
        assertEquals(100.0, meter.cpuPercent(), 1e-9);
        // Read at the window's two ends only: (2 x 2025 + 2 x 530) - (2 x 25 + 2 x 5) switches over 2000 replies.
        assertEquals((2 * 2025 + 2 * 530 - 2 * 25 - 2 * 5) / 2000.0, meter.contextSwitchesPerMessage(), 1e-9);
        assertEquals(31, tree.maxThreads());
        assertEquals(70_000L * 1024, tree.peakRssBytes());
    }

    @Test
    void shouldReportNothingForAWindowThatNeverCame() {
        final ServerCostMeter meter = new ServerCostMeter(new ProcessTree(FAKE_PID, dir, 100), 1, 1);
        assertEquals(-1, meter.windowCpuNs());
        assertTrue(Double.isNaN(meter.cpuUsPerMessage()));
        assertTrue(Double.isNaN(meter.cpuPercent()));
        assertTrue(Double.isNaN(meter.contextSwitchesPerMessage()));
    }

    private void write(final long utime, final int threads, final long hwmKb) throws Exception {
        final Path process = Files.createDirectories(dir.resolve(Long.toString(FAKE_PID)));
        Files.writeString(process.resolve("stat"), FAKE_PID + " (ringside server) S 1 1 1 0 -1 0 0 0 0 0 " + utime
            + " 0 0 0 20 0 " + threads + " 0 1 0 0", StandardCharsets.US_ASCII);
        Files.writeString(process.resolve("status"), "Name:\tjava\nVmHWM:\t" + hwmKb + " kB\nThreads:\t" + threads
            + "\n", StandardCharsets.US_ASCII);
    }

    /** Gives the fake process {@code threads} threads, each with these switch counts. */
    private void switches(final int threads, final long voluntary, final long involuntary) throws Exception {
        for (int t = 0; t < threads; t++) {
            final Path task = Files.createDirectories(dir.resolve(Long.toString(FAKE_PID)).resolve("task")
                .resolve(Long.toString(FAKE_PID + t)));
            Files.writeString(task.resolve("status"), "Name:\tjava\nvoluntary_ctxt_switches:\t" + voluntary
                + "\nnonvoluntary_ctxt_switches:\t" + involuntary + "\n", StandardCharsets.US_ASCII);
        }
    }

    private static IntervalSample sample(final IntervalSample.Phase phase, final long completed) {
        return new IntervalSample().set(phase, 1, 1.0, 0, 1000, completed, 10, 10, 10, 0);
    }
}
