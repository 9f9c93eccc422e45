package dev.ringside.perf.loop;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.ringside.engine.config.LoopConfig;
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
 * One selector pass over N ready loopback connections, each echoing 64 bytes, driven on the benchmark
 * thread: every client writes, the loop runs duty cycles until every echo is back. The time per operation
 * divided by N is the loop's cost per echoed message (plus the client's syscalls, which are the same for
 * any server). Run with {@code -prof gc}: {@code gc.alloc.rate.norm} should be ~0 B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "-XX:AutoBoxCacheMax=65536"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class EchoRoundTripBenchmark {
    private static final int MESSAGE_BYTES = 64;

    /**
     * Client and server ends share this JVM: two descriptors per connection, so the 20,000-descriptor limit
     * stops it short of 10,000; {@link SelectorPassBenchmark} covers 10,000 with the clients in another process.
     */
    @Param({"1", "100"})
    int connections;

    private EventLoop loop;
    private SocketChannel[] clients;
    private final ByteBuffer message = ByteBuffer.allocateDirect(MESSAGE_BYTES);
    private final ByteBuffer reply = ByteBuffer.allocateDirect(MESSAGE_BYTES);
    private int[] received;

    /**
     * Opens the loop and N non-blocking client connections.
     *
     * @throws IOException when sockets cannot be opened (raise {@code ulimit -n} for 10,000)
     */
    @Setup(Level.Trial)
    public void setup() throws IOException {
        loop = new EventLoop("bench", new LoopConfig().ringCapacityBytes(4096).poolRings(4096),
            SystemNanoClock.INSTANCE, LoopCounters.standalone("bench"), Throwable::printStackTrace);
        final InetSocketAddress address = TcpAcceptor.open(loop, new InetSocketAddress("127.0.0.1", 0),
            new EchoProtocol(), ConnectionListener.NONE).localAddress();
        final List<SocketChannel> opened = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            final SocketChannel client = SocketChannel.open(address);
            client.configureBlocking(false);
            opened.add(client);
            if (i % 64 == 63) {
                loop.doWork();
            }
        }
        clients = opened.toArray(new SocketChannel[0]);
        received = new int[connections];
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (loop.openConnections() < connections) {
            loop.doWork();
            if (System.nanoTime() - deadlineNs > 0) {
                throw new IllegalStateException("accepted " + loop.openConnections() + " of " + connections
                    + " connections in 30 s (descriptor limit?)");
            }
        }
    }

    /**
     * One message on every connection, echoed back.
     *
     * @return messages echoed
     * @throws IOException on socket failure
     */
    @Benchmark
    public int echoOnEveryConnection() throws IOException {
        for (final SocketChannel client : clients) {
            message.clear();
            client.write(message);
        }
        int pending = connections;
        java.util.Arrays.fill(received, 0);
        while (pending > 0) {
            loop.doWork();
            for (int i = 0; i < connections; i++) {
                if (received[i] < MESSAGE_BYTES) {
                    reply.clear().limit(MESSAGE_BYTES - received[i]);
                    received[i] += Math.max(0, clients[i].read(reply));
                    if (received[i] == MESSAGE_BYTES) {
                        pending--;
                    }
                }
            }
        }
        return connections;
    }

    /**
     * Closes everything.
     *
     * @throws IOException on close failure
     */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        for (final SocketChannel client : clients) {
            client.close();
        }
        loop.close();
    }
}
