package dev.ringside.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.ringside.engine.counter.CountersFile;
import dev.ringside.engine.counter.EngineCounter;
import dev.ringside.bench.command.CommandLauncher;
import dev.ringside.engine.server.CountersLocation;
import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ringside stat --json} is for scripts: a JSON array, one object per server, that a strict parser reads,
 * with pid, alive, uptime and the counters by label. Catches output that is not JSON (a label breaking a
 * string, a trailing comma) or a missing field.
 */
@Timeout(60)
class StatJsonTest {
    @TempDir
    Path dir;

    @Test
    void shouldPrintOneParsableObjectPerServer() throws Exception {
        final long self = ProcessHandle.current().pid();
        try (CountersFile file = CountersFile.create(CountersLocation.fileIn(dir.toFile(), self), 4)) {
            final CountersManager manager = file.newManager();
            manager.newCounter("loop-0: " + EngineCounter.BYTES_IN.label(), EngineCounter.BYTES_IN.id()).set(42);
            manager.newCounter("loop-1: " + EngineCounter.BYTES_IN.label(), EngineCounter.BYTES_IN.id()).set(8);
            manager.newCounter("loop-0: a \"quoted\"\n\033[31mlabel", 9999).set(-1);
            final StringWriter out = new StringWriter();
            final CommandLine commandLine = CommandLauncher.commandLine(new RingsideCommand());
            commandLine.setOut(new PrintWriter(out, true));
            assertEquals(0, commandLine.execute("stat", "--json", "--dir", dir.toString()), out.toString());

            final List<?> servers = (List<?>) MiniJson.parse(out.toString());
            assertEquals(1, servers.size(), out.toString());
            final Object server = servers.get(0);
            assertEquals((double) self, MiniJson.at(server, "pid"));
            assertEquals(Boolean.TRUE, MiniJson.at(server, "alive"));
            assertTrue((Double) MiniJson.at(server, "uptimeS") >= 0);
            assertEquals((double) file.startEpochMs(), MiniJson.at(server, "startEpochMs"));
            final Map<?, ?> counters = (Map<?, ?>) MiniJson.at(server, "counters");
            assertEquals(50.0, counters.get("bytes in"), "summed across loops");
            assertEquals(-1.0, counters.get("a \"quoted\"\\x0a\\x1b[31mlabel"), counters.keySet().toString());
        }
    }
}
