package dev.ringside.perf.loop;

import java.util.concurrent.TimeUnit;

import org.agrona.DeadlineTimerWheel;
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
 * The idle-timeout pattern on the loop's timer wheel: with N connections' timers scheduled, re-arm one
 * (cancel + schedule) and poll a tick.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class TimerWheelBenchmark {
    private static final long TICK_NS = 1L << 24;

    @Param({"100", "10000"})
    int timers;

    private DeadlineTimerWheel wheel;
    private long[] ids;
    private int next;
    private long nowNs;
    private final DeadlineTimerWheel.TimerHandler handler = (unit, now, id) -> true;

    /** Schedules the timers 30 s out, spread over a second. */
    @Setup
    public void setup() {
        wheel = new DeadlineTimerWheel(TimeUnit.NANOSECONDS, 0, TICK_NS, 512);
        ids = new long[timers];
        for (int i = 0; i < timers; i++) {
            ids[i] = wheel.scheduleTimer(30_000_000_000L + i * 100_000L);
        }
    }

    /** @return timers expired by the poll (0: deadlines are far) */
    @Benchmark
    public int rearmAndPoll() {
        final int i = next;
        next = i + 1 == timers ? 0 : i + 1;
        wheel.cancelTimer(ids[i]);
        nowNs += 1_000;
        ids[i] = wheel.scheduleTimer(nowNs + 30_000_000_000L);
        return wheel.poll(nowNs, handler, 16);
    }
}
