package dev.ringside.perf.loop;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.TimeUnit;

import dev.ringside.engine.config.LoopConfig;
import dev.ringside.engine.counter.EngineCounter;
import dev.ringside.engine.counter.LoopCounters;
import dev.ringside.engine.endpoint.UdpEndpoint;
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
 * A UDP echo endpoint on the loop, fed by {@code senders} client sockets in turn: every client sends one
 * 64-byte datagram, the loop runs until every echo is back. With one sender the JDK reuses the sender's
 * address object; with more, each {@code DatagramChannel.receive} from a sender other than the previous one
 * allocates a new {@code InetSocketAddress} (and its {@code InetAddress}): run with {@code -prof gc} and
 * divide {@code gc.alloc.rate.norm} by {@code senders} for the bytes per datagram. This is inside the JDK,
 * not the engine (JDK 17 has no receive that fills a caller's address object); see perf/RESULTS.md for the
 * figure and the mitigations.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "-XX:AutoBoxCacheMax=65536"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class UdpEchoBenchmark {
    private static final int MESSAGE_BYTES = 64;

    @Param({"1", "100"})
    int senders;

    private EventLoop loop;
    private DatagramChannel[] clients;
    private final ByteBuffer message = ByteBuffer.allocateDirect(MESSAGE_BYTES);
    private final ByteBuffer reply = ByteBuffer.allocateDirect(MESSAGE_BYTES);
    private boolean[] received;

    /**
     * Binds the endpoint and connects the client sockets to it.
     *
     * @throws IOException when sockets cannot be opened
     */
    @Setup(Level.Trial)
    public void setup() throws IOException {
        loop = new EventLoop("bench", new LoopConfig(), SystemNanoClock.INSTANCE, LoopCounters.standalone("bench"),
            Throwable::printStackTrace);
        final InetSocketAddress address = UdpEndpoint.bind(loop, new InetSocketAddress("127.0.0.1", 0),
            new EchoProtocol().newDatagramHandler("127.0.0.1:0")).localAddress();
        clients = new DatagramChannel[senders];
        for (int i = 0; i < senders; i++) {
            clients[i] = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
            clients[i].connect(address);
            clients[i].configureBlocking(false);
        }
        received = new boolean[senders];
    }

    /**
     * One datagram from every client, echoed back.
     *
     * @return datagrams echoed
     * @throws IOException on socket failure
     */
    @Benchmark
    public int echoFromEverySender() throws IOException {
        for (final DatagramChannel client : clients) {
            message.clear();
            client.write(message);
        }
        java.util.Arrays.fill(received, false);
        int pending = senders;
        while (pending > 0) {
            loop.doWork();
            for (int i = 0; i < senders; i++) {
                if (!received[i]) {
                    reply.clear();
                    if (clients[i].read(reply) > 0) {
                        received[i] = true;
                        pending--;
                    }
                }
            }
        }
        return senders;
    }

    /**
     * Closes everything; a datagram the loop dropped would have hung the benchmark, so none was.
     *
     * @throws IOException on close failure
     */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        final long dropped = loop.counters().get(EngineCounter.DATAGRAMS_DROPPED);
        for (final DatagramChannel client : clients) {
            client.close();
        }
        loop.close();
        if (dropped != 0) {
            throw new IllegalStateException(dropped + " replies dropped");
        }
    }
}
