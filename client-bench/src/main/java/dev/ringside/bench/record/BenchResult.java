package dev.ringside.bench.record;

import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;

/**
 * The outcome of a run (or of merged interval logs), from which the summary, JSON and HTML are made.
 *
 * @param description            one line saying what was run
 * @param parameters             the settings, in the order they are shown
 * @param closedLoop             whether the load was closed loop (then corrected equals uncorrected)
 * @param connectionsRequested   connections (or UDP sockets) asked for
 * @param connectionsEstablished connections that were established
 * @param targetRate             messages per second asked for; 0 for closed loop
 * @param achievedRate           replies (chat: lines) per second achieved in the measurement window
 * @param sent                   measured requests (chat: lines) sent
 * @param completed              replies to measured requests (chat: deliveries) received
 * @param errors                 count per kind, whole run
 * @param udpReordered           UDP replies that overtook an earlier one
 * @param udpLate                UDP replies that came after their request was counted lost
 * @param deliveriesExpected     chat: deliveries owed for measured lines; -1 otherwise
 * @param chatOutOfOrder         chat: lines out of sequence per publisher
 * @param durationS              the measurement window in seconds
 * @param corrected              corrected latency (ns) of every measured reply
 * @param uncorrected            uncorrected latency (ns) of every measured reply
 * @param intervals              per-interval figures of the measurement window (and its drain)
 * @param warnings               lines the user must see
 * @param statusClasses          replies to measured requests per status class ("2xx" → count), for protocols
 *                               with statuses (HTTP); empty otherwise
 */
public record BenchResult(String description, Map<String, String> parameters, boolean closedLoop,
    long connectionsRequested, long connectionsEstablished, double targetRate, double achievedRate, long sent,
    long completed, Map<ErrorKind, Long> errors, long udpReordered, long udpLate, long deliveriesExpected,
    long chatOutOfOrder, double durationS, Histogram corrected, Histogram uncorrected, List<IntervalStat> intervals,
    List<String> warnings, Map<String, Long> statusClasses) {

    /** @return errors of every kind */
    public long errorTotal() {
        long total = 0;
        for (final Long count : errors.values()) {
            total += count;
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
}
