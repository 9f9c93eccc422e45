package dev.ringside.bench.record;

import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;

/**
 * The outcome of a run (or of merged interval logs), from which the summary, JSON and HTML are made.
 *
 * <p>Request figures cover the measurement window: requests whose intended send time falls in it. Each
 * such request ends in exactly one way, so {@code sent = completed + requestErrors() + inFlightAtEnd}
 * ({@link #balanced()}). Connection errors count events on connections over the whole run. A figure that is
 * unknown (a merged log without Ringside's totals) is -1.
 *
 * @param info                   what was run
 * @param closedLoop             whether the load was closed loop (then corrected equals uncorrected)
 * @param connectionsRequested   connections (or UDP sockets) asked for
 * @param connectionsEstablished connections that were established
 * @param targetRate             messages per second asked for; 0 for closed loop
 * @param achievedRate           replies (chat: lines) per second achieved in the measurement window
 * @param sent                   measured requests (chat: lines) sent
 * @param completed              measured requests answered correctly (chat: deliveries received)
 * @param inFlightAtEnd          measured requests neither answered nor failed when the run ended
 * @param errors                 count per kind (request kinds: measured requests; connection kinds: whole run)
 * @param lateReplies            replies to requests that had already ended (timed out, counted lost)
 * @param udpReordered           UDP replies that overtook an earlier one
 * @param deliveriesExpected     chat: deliveries owed for measured lines; -1 otherwise
 * @param chatOutOfOrder         chat: lines out of sequence per publisher
 * @param durationS              the measurement window in seconds (shorter when interrupted)
 * @param corrected              corrected latency (ns) of every completed measured request
 * @param uncorrected            uncorrected latency (ns) of every completed measured request
 * @param intervals              per-interval figures of the measurement window (and its drain)
 * @param warnings               lines the user must see
 * @param generator              how the generator itself fared
 * @param sources                where each group of figures came from (merge); empty for a run
 * @param statusClasses          replies to measured requests per status class ("2xx" → count), for protocols
 *                               with statuses (HTTP); empty otherwise
 * @param churn                  reconnects, connections opened in the window and their connect latency
 */
public record BenchResult(RunInfo info, boolean closedLoop, long connectionsRequested, long connectionsEstablished,
    double targetRate, double achievedRate, long sent, long completed, long inFlightAtEnd, Map<ErrorKind, Long> errors,
    long lateReplies, long udpReordered, long deliveriesExpected, long chatOutOfOrder, double durationS,
    Histogram corrected, Histogram uncorrected, List<IntervalStat> intervals, List<String> warnings,
    GeneratorHealth generator, Map<String, String> sources, Map<String, Long> statusClasses,
    ConnectionChurn churn) {

    /** A result without reconnect figures (merged logs, tests of other figures). */
    public BenchResult(final RunInfo info, final boolean closedLoop, final long connectionsRequested,
        final long connectionsEstablished, final double targetRate, final double achievedRate, final long sent,
        final long completed, final long inFlightAtEnd, final Map<ErrorKind, Long> errors, final long lateReplies,
        final long udpReordered, final long deliveriesExpected, final long chatOutOfOrder, final double durationS,
        final Histogram corrected, final Histogram uncorrected, final List<IntervalStat> intervals,
        final List<String> warnings, final GeneratorHealth generator, final Map<String, String> sources,
        final Map<String, Long> statusClasses) {
        this(info, closedLoop, connectionsRequested, connectionsEstablished, targetRate, achievedRate, sent,
            completed, inFlightAtEnd, errors, lateReplies, udpReordered, deliveriesExpected, chatOutOfOrder,
            durationS, corrected, uncorrected, intervals, warnings, generator, sources, statusClasses,
            ConnectionChurn.none());
    }

    /** A result without status classes (every protocol but HTTP, and merged logs). */
    public BenchResult(final RunInfo info, final boolean closedLoop, final long connectionsRequested,
        final long connectionsEstablished, final double targetRate, final double achievedRate, final long sent,
        final long completed, final long inFlightAtEnd, final Map<ErrorKind, Long> errors, final long lateReplies,
        final long udpReordered, final long deliveriesExpected, final long chatOutOfOrder, final double durationS,
        final Histogram corrected, final Histogram uncorrected, final List<IntervalStat> intervals,
        final List<String> warnings, final GeneratorHealth generator, final Map<String, String> sources) {
        this(info, closedLoop, connectionsRequested, connectionsEstablished, targetRate, achievedRate, sent,
            completed, inFlightAtEnd, errors, lateReplies, udpReordered, deliveriesExpected, chatOutOfOrder,
            durationS, corrected, uncorrected, intervals, warnings, generator, sources, Map.of());
    }

    /** @return one line saying what was run */
    public String description() {
        return info.description();
    }

    /** @return errors of every kind */
    public long errorTotal() {
        long total = 0;
        for (final Long count : errors.values()) {
            total += count;
        }
        return total;
    }

    /** @return measured requests that ended in an error */
    public long requestErrors() {
        return total(ErrorKind.Scope.REQUEST);
    }

    /** @return connection events counted as errors */
    public long connectionErrors() {
        return total(ErrorKind.Scope.CONNECTION);
    }

    private long total(final ErrorKind.Scope scope) {
        long total = 0;
        for (final Map.Entry<ErrorKind, Long> entry : errors.entrySet()) {
            if (entry.getKey().scope() == scope) {
                total += entry.getValue();
            }
        }
        return total;
    }

    /**
     * @param kind an error kind
     * @return its count
     */
    public long errorCount(final ErrorKind kind) {
        final Long count = errors.get(kind);
        return count == null ? 0 : count;
    }

    /** @return whether this is a chat run (its figures are lines and deliveries, not requests) */
    public boolean chat() {
        return deliveriesExpected >= 0;
    }

    /** @return whether every measured request is accounted for: sent = completed + errors + in flight */
    public boolean balanced() {
        return sent >= 0 && sent == completed + requestErrors() + inFlightAtEnd;
    }

    /** @return whether the run was cut short by a signal */
    public boolean interrupted() {
        return generator.interruptedBy() != null;
    }
}
