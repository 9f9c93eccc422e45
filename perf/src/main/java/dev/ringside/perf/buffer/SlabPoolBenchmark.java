package dev.ringside.perf.buffer;

import java.util.concurrent.TimeUnit;

import dev.ringside.engine.buffer.ByteRing;
import dev.ringside.engine.buffer.SlabPool;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Lease and return of a ring: what every connection with bytes to keep pays per read.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SlabPoolBenchmark {
    private SlabPool pool;

    /** A pool of 1024 rings of 16 KiB, pre-touched. */
    @Setup
    public void setup() {
        pool = new SlabPool(16 * 1024, 1024);
        pool.release(pool.lease());
    }

    /** @return the ring's capacity */
    @Benchmark
    public int leaseAndRelease() {
        final ByteRing ring = pool.lease();
        pool.release(ring);
        return ring.capacity();
    }
}
