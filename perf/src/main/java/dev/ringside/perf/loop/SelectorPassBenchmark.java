package dev.ringside.perf.loop;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.ringside.engine.config.LoopConfig;
import dev.ringside.engine.counter.EngineCounter;
import dev.ringside.engine.counter.LoopCounters;
import dev.ringside.engine.endpoint.ConnectionListener;
import dev.ringside.engine.endpoint.TcpAcceptor;
import dev.ringside.engine.loop.EventLoop;
import dev.ringside.engine.protocol.echo.EchoProtocol;
import org.agrona.concurrent.SystemNanoClock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Selector passes over N loopback connections whose client ends live in another process
 * ({@link LoopbackClients}), so that N = 10,000 fits the 20,000-descriptor limit of one process: the
 * clients write one 64-byte message on every connection, the loop (on the benchmark thread) runs duty
 * cycles until it has echoed all N, then waits for the clients to confirm every echo arrived. Score / N is
 * the time per echoed message with the two processes on the two CPUs; {@code gc.alloc.rate.norm} counts
 * this JVM only (the loop and JMH), and should be ~0 B/op. {@link EchoRoundTripBenchmark} is the in-process
 * variant for N up to a few thousand.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "-XX:AutoBoxCacheMax=65536"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SelectorPassBenchmark {
    private static final int MESSAGE_BYTES = 64;
    private static final long SETUP_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(60);

    @Param({"1", "100", "10000"})
    int connections;

    private EventLoop loop;
    private Process clients;
    private OutputStream commands;
    private InputStream acks;
    /** Bytes the loop has echoed so far: a message split over two reads still ends the wait correctly. */
    private long echoedBytes;

    /**
     * Opens the loop, starts the client process and accepts its connections.
     *
     * @throws IOException when the process or the sockets cannot be started
     */
    @Setup(Level.Trial)
    public void setup() throws IOException {
        loop = new EventLoop("bench", new LoopConfig().ringCapacityBytes(4096).poolRings(2 * connections + 64)
            .maxConnections(connections + 64), SystemNanoClock.INSTANCE, LoopCounters.standalone("bench"),
            Throwable::printStackTrace);
        final InetSocketAddress address = TcpAcceptor.open(loop, new InetSocketAddress("127.0.0.1", 0),
            new EchoProtocol(), ConnectionListener.NONE).localAddress();
        final String java = ProcessHandle.current().info().command().orElse("java");
        clients = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
            LoopbackClients.class.getName(), "127.0.0.1", Integer.toString(address.getPort()),
            Integer.toString(connections), Integer.toString(MESSAGE_BYTES)))
            .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        commands = clients.getOutputStream();
        acks = clients.getInputStream();
        final long deadlineNs = System.nanoTime() + SETUP_TIMEOUT_NS;
        while (loop.openConnections() < connections) {
            loop.doWork();
            if (!clients.isAlive() || System.nanoTime() - deadlineNs > 0) {
                throw new IllegalStateException("clients connected " + loop.openConnections() + " of "
                    + connections + (clients.isAlive() ? " in time" : " before their process ended"));
            }
        }
        echoedBytes = loop.counters().get(EngineCounter.BYTES_OUT);
    }

    /**
     * One message on every connection, echoed by the loop and confirmed by the clients.
     *
     * @return messages echoed
     * @throws IOException when the client process fails
     */
    @Benchmark
    public int echoOnEveryConnection() throws IOException {
        commands.write(1);
        commands.flush();
        echoedBytes += (long) connections * MESSAGE_BYTES;
        while (loop.counters().get(EngineCounter.BYTES_OUT) - echoedBytes < 0) {
            loop.doWork();
        }
        if (acks.read() < 0) {
            throw new IOException("client process ended");
        }
        return connections;
    }

    /**
     * Ends the client process (by its handle) and closes the loop.
     *
     * @throws InterruptedException when interrupted while waiting for the process
     */
    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        try {
            commands.close();
        } catch (final IOException ex) {
            // already gone
        }
        if (!clients.waitFor(5, TimeUnit.SECONDS)) {
            clients.destroy();
            clients.waitFor();
        }
        loop.close();
    }
}
