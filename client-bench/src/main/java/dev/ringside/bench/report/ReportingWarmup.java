package dev.ringside.bench.report;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.SplittableRandom;

import dev.ringside.bench.record.IntervalSample;
import dev.ringside.bench.record.LatencyRecorder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

/**
 * Runs the once-a-second reporting path (interval histograms, percentiles, the progress line, interval-log
 * encoding) a few hundred times on synthetic data before a run starts.
 *
 * <p>Why: code that runs once a second stays interpreted for minutes, and interpreted, one reporting tick
 * over HdrHistogram's 32k-bucket arrays takes milliseconds. On a small machine the reporting thread shares a
 * CPU with the server or a generator loop, and those milliseconds showed up as a once-a-second latency spike
 * in the measurement itself. Compiled, a tick takes a fraction of a millisecond.
 */
public final class ReportingWarmup {
    private static final int ROUNDS = 300;

    private ReportingWarmup() {
    }

    /** Warms the reporting path; takes a few hundred milliseconds of one core. */
    public static void run() {
        final SplittableRandom random = new SplittableRandom(42);
        final LatencyRecorder recorder = new LatencyRecorder();
        final IntervalSample sample = new IntervalSample();
        final Histogram total = LatencyRecorder.newHistogram();
        final HistogramLogWriter writer = new HistogramLogWriter(new PrintStream(OutputStream.nullOutputStream()));
        long sink = 0;
        for (int round = 0; round < ROUNDS; round++) {
            for (int i = 0; i < 200; i++) {
                final long value = 10_000 + (long) (random.nextDouble() * random.nextDouble() * 5_000_000);
                recorder.record(value, value / 2);
            }
            recorder.takeInterval(sample.corrected(), sample.uncorrected());
            total.add(sample.corrected());
            sample.set(IntervalSample.Phase.MEASURING, round, 1, 0, 1000, 200, 10, 10, 10, 0);
            sink += ProgressLine.format(sample).length();
            sink += sample.corrected().getValueAtPercentile(50) + sample.corrected().getValueAtPercentile(99)
                + sample.uncorrected().getValueAtPercentile(99) + sample.corrected().getMaxValue();
            sink += (long) Percentiles.micros(total).get("p99").doubleValue();
            writer.outputIntervalHistogram(round, round + 1, sample.corrected());
        }
        if (sink == 42) {
            // Never true; keeps the work from being optimised away.
            System.err.print("");
        }
    }
}
