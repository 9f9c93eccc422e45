package dev.ringside.bench.compare;

import dev.ringside.bench.record.BenchResult;
import dev.ringside.engine.model.ServerModel;

/**
 * One model at one connection count: what the load generator saw and what the server spent. A cell that
 * could not be measured still says what happened ({@link Outcome} and {@link #note()}), never nothing.
 *
 * @param model         the server model
 * @param connections   connections requested
 * @param outcome       how the cell went
 * @param note          what happened, in a few words ({@code ok}, or e.g. {@code 130 of 1000 connected; ...})
 * @param result        the generator's result, or {@code null} when no load ran
 * @param cpuUsPerReply server CPU time per reply over the measurement window, in µs; NaN when unknown
 * @param cpuPercent    server CPU use over the window, percent of one CPU; NaN when unknown
 * @param switchesPerReply server context switches (every thread, voluntary and involuntary) per reply over
 *                      the window; NaN when unknown
 * @param peakRssBytes  sum of the peak resident memory of the server's processes; -1 when unknown
 * @param maxThreads    most server threads seen at once (whole process tree); -1 when unknown
 * @param processes     most server processes seen at once; -1 when unknown
 * @param serverPid     the server's pid; -1 when none started
 */
public record CompareCell(ServerModel model, int connections, Outcome outcome, String note, BenchResult result,
    double cpuUsPerReply, double cpuPercent, double switchesPerReply, long peakRssBytes, int maxThreads,
    int processes, long serverPid) {

    /** How a cell went. */
    public enum Outcome {
        /** Every connection established, no error, the target rate reached. */
        OK("ok"),
        /** Measured, but the model fell short: connections, rate or errors (the note says which). */
        DEGRADED("degraded"),
        /** The server ran, but no connection to it could be established. */
        NO_CONNECTION("no connection"),
        /** The server did not start (the note is its own one-line reason). */
        SERVER_FAILED("server failed"),
        /** The virtual model on a JVM older than 21. */
        NEEDS_JDK_21("needs JDK 21"),
        /** Something unexpected stopped the cell; the comparison went on. */
        ERROR("error");

        private final String label;

        Outcome(final String label) {
            this.label = label;
        }

        /** @return the word the table and JSON show */
        public String label() {
            return label;
        }
    }

    /**
     * A cell in which no load ran.
     *
     * @param model       the model
     * @param connections connections requested
     * @param outcome     why not
     * @param note        what happened
     * @return the cell
     */
    public static CompareCell notRun(final ServerModel model, final int connections, final Outcome outcome,
        final String note) {
        return new CompareCell(model, connections, outcome, note, null, Double.NaN, Double.NaN, Double.NaN, -1, -1,
            -1, -1);
    }

    /** @return connections established; 0 without a result */
    public long established() {
        return result == null ? 0 : result.connectionsEstablished();
    }

    /** @return replies per second achieved; NaN without a result */
    public double achievedRate() {
        return result == null ? Double.NaN : result.achievedRate();
    }

    /**
     * @param percentile e.g. 99.9
     * @return corrected latency at it, in µs; NaN without samples
     */
    public double latencyUs(final double percentile) {
        if (result == null || result.corrected().getTotalCount() == 0) {
            return Double.NaN;
        }
        return result.corrected().getValueAtPercentile(percentile) / 1000.0;
    }

    /** @return errors of every kind; 0 without a result */
    public long errors() {
        return result == null ? 0 : result.errorTotal();
    }

    /** @return whether the cell has numbers that come with a caveat (anything but {@link Outcome#OK}) */
    public boolean flagged() {
        return outcome != Outcome.OK;
    }
}
