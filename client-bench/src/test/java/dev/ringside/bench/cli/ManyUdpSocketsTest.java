package dev.ringside.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.ringside.bench.compare.ServerChild;
import dev.ringside.engine.config.LoopConfig;
import dev.ringside.engine.counter.EngineCounter;
import dev.ringside.engine.protocol.echo.EchoProtocol;
import dev.ringside.engine.testing.LoopHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * 5,000 UDP client sockets in one generator JVM with a 128 MiB heap (and so, by default, 128 MiB of direct
 * memory): every socket's requests are answered and verified, with no error. The sockets of a loop share one
 * receive and one send buffer; with two 64 KiB buffers per socket (as before issue 12) the generator needs
 * 640 MiB of direct memory and fails with "Cannot reserve ... bytes of direct buffer memory" (tried).
 */
class ManyUdpSocketsTest {
    private static final int SOCKETS = 5_000;

    @TempDir
    Path dir;

    @Test
    @Timeout(180)
    void shouldAnswerEveryOneOfFiveThousandUdpSocketsInA128MegabyteGenerator() throws Exception {
        // The server's socket buffer holds a whole round of requests (4 MiB, net.core.rmem_max here): on a busy
        // machine a stalled generator sends its backlog in one burst, which the default ~200 KiB would drop.
        try (LoopHarness server = new LoopHarness(
            new LoopConfig().datagramBudget(256).datagramReceiveBufferBytes(4 << 20))) {
            final InetSocketAddress address = server.listenUdp(new EchoProtocol());
            server.startThread();
            final Path json = dir.resolve("run.json");
            final List<String> command = new ArrayList<>(ServerChild.ringsideCommand(ServerChild.currentJava()));
            // Last on the JVM's command line wins over any heap flag copied from this JVM.
            command.add(command.indexOf("-cp"), "-Xmx128m");
            // Rate = sockets for 2 s: the schedule deals slots round-robin, so every socket sends exactly twice
            // in the window, and all 10,000 answered means every socket got its replies.
            command.addAll(List.of("bench", "--udp", "--target", "127.0.0.1:" + address.getPort(),
                "--connections", Integer.toString(SOCKETS), "--rate", Integer.toString(SOCKETS), "--size", "64",
                "--warmup", "1s", "--duration", "2s", "--timeout", "5s", "--no-progress",
                "--json", json.toString()));
            final Process bench = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("out.txt").toFile()).start();
            assertTrue(bench.waitFor(150, TimeUnit.SECONDS), "the generator finishes");
            final String output = Files.readString(dir.resolve("out.txt"));
            assertEquals(0, bench.exitValue(), output);
            final Object result = MiniJson.parse(Files.readString(json));
            assertEquals(SOCKETS, ((Number) MiniJson.at(result, "connections.established")).intValue(), output);
            assertEquals(2L * SOCKETS, ((Number) MiniJson.at(result, "requests.sent")).longValue(), output);
            assertEquals(2L * SOCKETS, ((Number) MiniJson.at(result, "requests.completed")).longValue(), output);
            assertEquals(0L, ((Number) MiniJson.at(result, "errors.total")).longValue(), output);
            assertTrue(server.counters().get(EngineCounter.DATAGRAMS_IN) >= 2L * SOCKETS);
        }
    }
}
