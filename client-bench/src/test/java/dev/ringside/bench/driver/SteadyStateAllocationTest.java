package dev.ringside.bench.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.ringside.bench.record.LoadCounter;
import dev.ringside.engine.protocol.OptionValues;
import dev.ringside.engine.protocol.Protocol;
import dev.ringside.engine.protocol.chat.Chat;
import dev.ringside.engine.protocol.echo.EchoProtocol;
import dev.ringside.engine.protocol.http.Http;
import dev.ringside.engine.protocol.raw.Raw;
import dev.ringside.engine.protocol.redis.Redis;
import dev.ringside.engine.protocol.rr.Rr;
import dev.ringside.engine.protocol.sockperf.Sockperf;
import dev.ringside.engine.testing.LoopHarness;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The generator's steady state (schedule, encode, send, receive, verify, record) allocates nothing on its
 * loop thread: the driver runs on the test thread against a server on its own thread, and the thread's
 * allocation counter must not move over thousands of round trips once warmed up.
 */
class SteadyStateAllocationTest {
    private static final long BUDGET_BYTES = 0;
    private static final int WARM_UP_WINDOWS = 10;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"echo-tcp", "rr-tcp", "sockperf-tcp", "chat-tcp", "http-tcp", "echo-udp",
        "closed-loop-tcp", "raw-tcp", "raw-udp", "redis-tcp"})
    @Timeout(120)
    void shouldNotAllocateInSteadyState(final String variant) {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final boolean udp = variant.endsWith("udp");
        final List<Throwable> errors = new ArrayList<>();
        try (LoopHarness server = new LoopHarness(LoopHarness.smallConfig())) {
            // The engine's own servers: sockperf, chat and HTTP as ringside server runs them, echo for the rest.
            final Protocol protocol = variant.startsWith("sockperf") ? TestServers.engine(Sockperf.SPEC)
                : variant.startsWith("chat") ? TestServers.engine(Chat.SPEC)
                : variant.startsWith("http") ? TestServers.engine(Http.SPEC) : new EchoProtocol();
            final InetSocketAddress address = udp ? server.listenUdp(protocol) : server.listenTcp(protocol);
            server.startThread();
            final BenchSettings settings = new BenchSettings().target(address).connections(8).size(64).udp(udp)
                .warmupNs(0).durationNs(TimeUnit.MINUTES.toNanos(10)).timeoutNs(TimeUnit.SECONDS.toNanos(30));
            if (variant.startsWith("closed")) {
                settings.closedLoop(true).pipeline(4);
            } else {
                settings.rate(20_000);
            }
            if (variant.startsWith("rr")) {
                settings.protocol(Rr.SPEC);
            } else if (variant.startsWith("sockperf")) {
                settings.protocol(Sockperf.SPEC);
            } else if (variant.startsWith("http")) {
                settings.protocol(Http.SPEC);
            } else if (variant.startsWith("chat")) {
                settings.protocol(Chat.SPEC, OptionValues.of(Chat.PUBLISHERS, "2"));
            } else if (variant.startsWith("raw")) {
                // Against echo: TCP frames by marker (the incremental search), UDP checks the reply's size.
                final String message = "x".repeat(40) + "\\r\\n";
                settings.protocol(Raw.SPEC, OptionValues.parse(Map.of(Raw.MESSAGE, List.of(message),
                    udp ? Raw.REPLY_BYTES : Raw.REPLY_UNTIL, List.of(udp ? "42" : "\\r\\n"))));
            } else if (variant.startsWith("redis")) {
                // An echoed RESP command is itself a RESP array of bulk strings: a full walk of the RESP framer.
                settings.protocol(Redis.SPEC, OptionValues.parse(Map.of(Redis.COMMAND, List.of("SET k v", "GET k"))));
            }
            settings.validate();
            final RunControl control = new RunControl();
            try (LoadDriver driver = new LoadDriver(settings, 0, SystemNanoClock.INSTANCE, control, errors::add)) {
                runUntilCompleted(driver, 0, control);
                control.startLoad(System.nanoTime());
                // Warm up (JIT, lazily grown arrays, ring slabs) until a window of 20,000 replies allocates nothing:
                // at a load of 20 on 2 cores C2 may compile late, and one window's 64 bytes were a late compile, not
                // the hot path. An allocation per reply (or per few replies) never gives a clean window.
                long warmUpAllocated = -1;
                for (int window = 0; window < WARM_UP_WINDOWS && warmUpAllocated != 0; window++) {
                    warmUpAllocated = allocatedOver(driver, control, threads);
                }
                final long allocated = allocatedOver(driver, control, threads);
                assertTrue(allocated <= BUDGET_BYTES, variant + ": " + allocated + " bytes allocated over 20,000 "
                    + "replies on the generator's thread (last warm-up window: " + warmUpAllocated + ")");
                assertEquals(0, driver.counters().errorTotal());
            }
        }
        assertTrue(errors.isEmpty(), errors.toString());
    }

    /** @return bytes this thread allocated while the driver completed 20,000 more replies */
    private static long allocatedOver(final LoadDriver driver, final RunControl control,
        final com.sun.management.ThreadMXBean threads) {
        final long completed = driver.counters().get(LoadCounter.COMPLETED);
        final long before = threads.getCurrentThreadAllocatedBytes();
        runUntilCompleted(driver, completed + 20_000, control);
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    private static void runUntilCompleted(final LoadDriver driver, final long completed, final RunControl control) {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (driver.counters().get(LoadCounter.COMPLETED) < completed
            || driver.counters().get(LoadCounter.CONNECTIONS_OPEN) < driver.clientCount()) {
            driver.doWork();
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("generator stalled at " + driver.counters().get(LoadCounter.COMPLETED));
            }
        }
    }
}
