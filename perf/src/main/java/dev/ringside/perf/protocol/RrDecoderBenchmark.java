package dev.ringside.perf.protocol;

import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

import dev.ringside.engine.buffer.ByteRing;
import dev.ringside.engine.protocol.Protocol;
import dev.ringside.engine.protocol.Session;
import dev.ringside.engine.protocol.SessionContext;
import dev.ringside.engine.protocol.rr.RrProtocol;
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
 * The {@code rr} session decoding length-prefixed frames from a ring and replying (echoing the frame, as the
 * server does by default, or with a fixed 64-byte reply): one operation is one read's worth of
 * {@code framesPerRead} frames. Time per frame is the score divided by {@code framesPerRead}; run with
 * {@code -prof gc}, {@code gc.alloc.rate.norm} should be ~0 B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RrDecoderBenchmark {
    private static final int RING_BYTES = 64 * 1024;

    @Param({"16", "1024"})
    int payloadBytes;

    @Param({"1", "16"})
    int framesPerRead;

    /** -1: reply with the request frame (the server's default); otherwise a fixed reply of this size. */
    @Param({"-1", "64"})
    int responseSizeBytes;

    private ByteRing inbound;
    private RecordingOutbound out;
    private Session session;
    private UnsafeBuffer read;

    /** Builds one read's worth of frames and the session. */
    @Setup
    public void setup() {
        final Protocol protocol = new RrProtocol(responseSizeBytes, RING_BYTES);
        session = protocol.newSession(new SessionContext(1, "127.0.0.1:1", "127.0.0.1:2"));
        inbound = ByteRing.allocate(RING_BYTES);
        out = new RecordingOutbound(RING_BYTES);
        final int frameBytes = Integer.BYTES + payloadBytes;
        read = new UnsafeBuffer(new byte[frameBytes * framesPerRead]);
        for (int f = 0; f < framesPerRead; f++) {
            read.putInt(f * frameBytes, payloadBytes, ByteOrder.BIG_ENDIAN);
            for (int i = 0; i < payloadBytes; i++) {
                read.putByte(f * frameBytes + Integer.BYTES + i, (byte) ('a' + i % 26));
            }
        }
    }

    /** @return frames decoded and answered (always {@code framesPerRead}) */
    @Benchmark
    public int decodeAndReply() {
        inbound.write(read, 0, read.capacity());
        final int frames = session.onData(inbound, out);
        out.drain();
        return frames;
    }

    /** Checks that every frame was answered and nothing was closed. */
    @TearDown
    public void check() {
        if (out.closes() != 0 || !inbound.isEmpty()) {
            throw new IllegalStateException("rr session closed or left input: " + inbound);
        }
    }
}
