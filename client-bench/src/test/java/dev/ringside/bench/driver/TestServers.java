package dev.ringside.bench.driver;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ringside.bench.record.BenchResult;
import dev.ringside.engine.protocol.DatagramHandler;
import dev.ringside.engine.protocol.OptionValues;
import dev.ringside.engine.protocol.Protocol;
import dev.ringside.engine.protocol.ProtocolSpec;
import dev.ringside.engine.protocol.ServerEnvironment;
import dev.ringside.engine.testing.LoopHarness;
import dev.ringside.engine.testing.StreamOnlyProtocol;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Servers for the generator's tests. A protocol's normal behaviour is always the engine's own server
 * ({@link #engine}, straight from the protocol registry, as {@code ringside server} makes it); the stand-ins below
 * exist only for faults the engine's servers never commit, which the generator must still count right:
 * <ul>
 *   <li>{@link #closeAfter}: an echo that closes each connection after some bytes (the engine's servers close only
 *       on a fault of the client's or at shutdown), for reconnects and connections lost mid-run;</li>
 *   <li>{@link #corruptingEcho}: a flipped byte in an echo (the engine echoes exactly), for verification errors;</li>
 *   <li>{@link #stallingEcho}: an echo that stops answering after some bytes while it keeps reading (the engine's
 *       echo answers everything; discard answers nothing from the start), for timeouts that begin mid-run;</li>
 *   <li>{@link #httpResponder}: a mix of 200 and 404 on one pipelined connection (the engine's HTTP server answers
 *       every GET alike), for exact non-2xx counting;</li>
 *   <li>{@link #droppingUdpEcho}: a UDP echo that drops every n-th datagram (the engine's UDP echo drops only when a
 *       socket buffer overflows, which a test cannot schedule), for exact UDP loss counting.</li>
 * </ul>
 * A fault only one test needs (a server that dies, malformed HTTP) stays beside that test.
 */
final class TestServers {
    private TestServers() {
    }

    /** Runs a benchmark with no progress output. */
    static BenchResult run(final BenchSettings settings) throws InterruptedException {
        return new BenchRunner(settings.validate(), List.of(), System.err).run();
    }

    /** Settings for a short open-loop run against {@code target}. */
    static BenchSettings quick(final InetSocketAddress target) {
        return new BenchSettings().target(target).connections(1).rate(500).warmupNs(0)
            // A reply may take seconds on a loaded 2-core machine (load 10): the timeout is no latency bound.
            .durationNs(500_000_000L).timeoutNs(2_000_000_000L);
    }

    /**
     * The engine's own server for a protocol, with default options, as {@code ringside server} makes it.
     *
     * @param spec a protocol with a server side
     * @return its server
     */
    static Protocol engine(final ProtocolSpec spec) {
        return spec.server().orElseThrow().newProtocol(OptionValues.defaults(),
            new ServerEnvironment(ringBytes(spec), new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8)));
    }

    /**
     * @param spec a protocol with a server side
     * @return a loop whose rings fit that protocol's server ({@link #engine}), not yet listening
     */
    static LoopHarness harness(final ProtocolSpec spec) {
        // A 1 MiB UDP receive buffer holds a whole quick run's datagrams (250 of them), so a server loop thread
        // descheduled for the run's length on a loaded 2-core machine drops none: loss would be a bug, not load.
        return new LoopHarness(LoopHarness.smallConfig().ringCapacityBytes(ringBytes(spec))
            .datagramReceiveBufferBytes(1024 * 1024));
    }

    /**
     * @param spec a protocol with a server side
     * @return a ring capacity its server's default limits fit in: {@link LoopHarness#smallConfig()}'s, or larger
     */
    private static int ringBytes(final ProtocolSpec spec) {
        final int least = spec.server().orElseThrow().minRingBytes();
        final int fitting = least <= 1 ? 1 : Integer.highestOneBit(least - 1) << 1; // a power of two >= least
        return Math.max(LoopHarness.smallConfig().ringCapacityBytes(), fitting);
    }

    /** Echo that closes each connection once it has answered {@code bytes} bytes. */
    static Protocol closeAfter(final int bytes) {
        return StreamOnlyProtocol.perConnection("close-after", context -> {
            final int[] answered = new int[1];
            return (in, out) -> {
                final int length = Math.min(in.readableBytes(), bytes - answered[0]);
                if (length > 0 && out.write(in, in.readPosition(), length)) {
                    answered[0] += length;
                    in.consume(length);
                }
                if (answered[0] >= bytes) {
                    out.closeAfterFlush();
                }
                return 1;
            };
        });
    }

    /** Echo that flips one bit of the byte at {@code corruptAt} (counted over all connections' streams). */
    static Protocol corruptingEcho(final long corruptAt) {
        final long[] position = new long[1];
        return StreamOnlyProtocol.perConnection("corrupting-echo", context -> {
            final UnsafeBuffer scratch = new UnsafeBuffer(new byte[64 * 1024]);
            return (in, out) -> {
                final int length = Math.min(Math.min(in.readableBytes(), out.writableBytes()), scratch.capacity());
                if (length == 0) {
                    return 0;
                }
                in.copyTo(in.readPosition(), scratch, 0, length);
                if (corruptAt >= position[0] && corruptAt < position[0] + length) {
                    final int index = (int) (corruptAt - position[0]);
                    scratch.putByte(index, (byte) (scratch.getByte(index) ^ 0x20));
                }
                position[0] += length;
                out.write(scratch, 0, length);
                in.consume(length);
                return 1;
            };
        });
    }

    /** Echo that answers the first {@code bytes} bytes of each connection and then reads without answering. */
    static Protocol stallingEcho(final int bytes) {
        return StreamOnlyProtocol.perConnection("stalling-echo", context -> {
            final int[] answered = new int[1];
            return (in, out) -> {
                final int length = Math.min(in.readableBytes(), Math.max(0, bytes - answered[0]));
                if (length > 0 && out.write(in, in.readPosition(), length)) {
                    answered[0] += length;
                }
                in.consume(in.readableBytes()); // the rest is swallowed: the server has stalled
                return 1;
            };
        });
    }

    /** Answers each GET; every {@code failEvery}-th response (counted over all connections) is a 404. */
    static Protocol httpResponder(final int failEvery, final AtomicInteger failures) {
        final byte[] ok = ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\nHello, World!")
            .getBytes(StandardCharsets.US_ASCII);
        final byte[] notFound = "HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nnot found"
            .getBytes(StandardCharsets.US_ASCII);
        final int[] count = new int[1];
        return StreamOnlyProtocol.perConnection("http-responder", context -> {
            return (in, out) -> {
                int requests = 0;
                while (true) {
                    long end = -1;
                    for (long p = in.readPosition(); p + 3 < in.writePosition(); p++) {
                        if (in.getByte(p) == '\r' && in.getByte(p + 1) == '\n' && in.getByte(p + 2) == '\r'
                            && in.getByte(p + 3) == '\n') {
                            end = p + 4;
                            break;
                        }
                    }
                    if (end < 0) {
                        return requests;
                    }
                    final boolean fail = ++count[0] % failEvery == 0;
                    final byte[] response = fail ? notFound : ok;
                    if (!out.write(new UnsafeBuffer(response), 0, response.length)) {
                        count[0]--;
                        return requests;
                    }
                    if (fail) {
                        failures.incrementAndGet();
                    }
                    in.consume((int) (end - in.readPosition()));
                    requests++;
                }
            };
        });
    }

    /** A UDP echo that drops every {@code dropEvery}-th datagram it receives. */
    static DatagramHandler droppingUdpEcho(final int dropEvery, final AtomicInteger received,
        final AtomicInteger dropped) {
        return (buffer, length, sender) -> {
            if (received.incrementAndGet() % dropEvery == 0) {
                dropped.incrementAndGet();
                return DatagramHandler.NO_REPLY;
            }
            return length;
        };
    }
}
