package dev.ringside.perf.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import dev.ringside.bench.record.LatencyRecorder;
import dev.ringside.engine.buffer.ByteRing;
import dev.ringside.engine.protocol.ClientCodec;
import dev.ringside.engine.protocol.ReplyFault;
import dev.ringside.engine.protocol.ReplySink;
import dev.ringside.engine.protocol.echo.EchoCodec;
import dev.ringside.engine.protocol.http.HttpCodec;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * The load generator's per-message work without the sockets, as one ready connection at its ceiling does it
 * (issue 13's 100 × 16): encode {@code pipeline} requests, decode their {@code pipeline} replies from the
 * inbound ring, and record each reply's two latencies (one latency batch per read, as the generator does).
 * {@code echo} verifies every echoed byte, {@code echo-noverify} counts replies by length, {@code http} parses
 * an nginx-like 200 response per request. Time per message is the score divided by {@code pipeline};
 * {@code gc.alloc.rate.norm} must be ~0 B/op (the generator's steady state allocates nothing).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class GeneratorPathBenchmark {
    private static final int RING_BYTES = 64 * 1024;
    private static final int SIZE = 64;
    private static final String RESPONSE = "HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: text/plain\r\n"
        + "Content-Length: 13\r\nConnection: keep-alive\r\n\r\nhello, world\n";

    @Param({"echo", "echo-noverify", "http"})
    String codec;

    @Param({"16"})
    int pipeline;

    private ClientCodec client;
    private ByteRing inbound;
    private UnsafeBuffer scratch;
    private UnsafeBuffer replies;
    private LatencyRecorder recorder;
    private final CountingSink sink = new CountingSink();
    private long seq;

    /** Counts the replies the codec reports and records each one's latency, as the generator's client does. */
    private final class CountingSink implements ReplySink {
        private long replied;
        private long faults;

        @Override
        public boolean onReply(final long replySeq, final ReplyFault fault) {
            if (fault != null) {
                faults++;
            }
            replied++;
            recorder.record(2_000 + (replied & 1023), 1_000 + (replied & 511));
            return true;
        }

        @Override
        public void onDelivery(final int publisher, final long deliverySeq, final long intendedNs,
            final long sentNs, final ReplyFault fault) {
            throw new IllegalStateException("no chat here");
        }

        @Override
        public void onForeignLine() {
            throw new IllegalStateException("no chat here");
        }
    }

    /** Builds the codec, the ring and one read's worth of replies (http). */
    @Setup
    public void setup() {
        inbound = ByteRing.allocate(RING_BYTES);
        scratch = new UnsafeBuffer(ByteBuffer.allocateDirect(1024));
        recorder = new LatencyRecorder();
        if ("http".equals(codec)) {
            final boolean[] accepted = new boolean[600];
            for (int status = 200; status < 300; status++) {
                accepted[status] = true;
            }
            final UnsafeBuffer request = new UnsafeBuffer(
                "GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            client = new HttpCodec(new UnsafeBuffer[] {request}, false, accepted);
            replies = new UnsafeBuffer(RESPONSE.repeat(pipeline).getBytes(StandardCharsets.US_ASCII));
        } else {
            client = new EchoCodec(7, SIZE, "echo".equals(codec));
        }
    }

    /** @return replies decoded (always {@code pipeline}) */
    @Benchmark
    public int encodeDecodeRecord() {
        for (int i = 0; i < pipeline; i++) {
            final int length = client.encode(scratch, seq++, 0, 0);
            if (replies == null) {
                inbound.write(scratch, 0, length); // the echo server's reply is the request
            }
        }
        if (replies != null) {
            inbound.write(replies, 0, replies.capacity());
        }
        recorder.openBatch(); // one read's replies share one critical section, as in the generator's client
        try {
            return client.decode(inbound, sink);
        } finally {
            recorder.closeBatch();
        }
    }

    /** Checks that every reply was good and consumed. */
    @TearDown
    public void check() {
        if (sink.faults != 0 || !inbound.isEmpty() || sink.replied == 0) {
            throw new IllegalStateException(codec + ": " + sink.faults + " faults of " + sink.replied + ", ring "
                + inbound);
        }
    }
}
