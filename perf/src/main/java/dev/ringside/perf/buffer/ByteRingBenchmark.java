package dev.ringside.perf.buffer;

import java.util.concurrent.TimeUnit;

import dev.ringside.engine.buffer.ByteRing;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Write-then-consume through a ring, including wrap-around (the message size does not divide the capacity),
 * ring-to-ring copies (what echo does) and byte scans (what line protocols do).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ByteRingBenchmark {
    @Param({"64", "1500", "16384"})
    int messageBytes;

    private ByteRing ring;
    private ByteRing copy;
    private UnsafeBuffer message;

    /** Allocates rings of 64 KiB and a message with one newline at its end. */
    @Setup
    public void setup() {
        ring = ByteRing.allocate(64 * 1024);
        copy = ByteRing.allocate(64 * 1024);
        message = new UnsafeBuffer(new byte[messageBytes]);
        message.putByte(messageBytes - 1, (byte) '\n');
    }

    /** @return bytes readable after one write and consume (always 0) */
    @Benchmark
    public int writeThenConsume() {
        ring.write(message, 0, messageBytes);
        ring.consume(messageBytes);
        return ring.readableBytes();
    }

    /** @return bytes readable in the copy after an echo-style ring-to-ring move */
    @Benchmark
    public int ringToRingCopy() {
        ring.write(message, 0, messageBytes);
        copy.write(ring, ring.readPosition(), messageBytes);
        ring.consume(messageBytes);
        copy.consume(messageBytes);
        return copy.readableBytes();
    }

    /** @return the newline's position, found by scanning */
    @Benchmark
    public long scanForNewline() {
        ring.write(message, 0, messageBytes);
        final long newline = ring.indexOf((byte) '\n', ring.readPosition());
        ring.consume(messageBytes);
        return newline;
    }
}
