package dev.ringside.bench.verdict;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.ringside.bench.record.ErrorKind;
import dev.ringside.bench.record.GeneratorHealth;

/**
 * Says why an open-loop run fell short of its target rate, from the counters rather than a guess: the
 * server closed connections, replies were wrong, replies did not come, or the generator itself was the
 * bottleneck (its loop busy nearly all the time). Only when none of those shows is the server simply too
 * slow for the requests allowed in flight.
 */
public final class ShortfallCause {
    private ShortfallCause() {
    }

    /**
     * @param sent       measured requests sent
     * @param scheduled  requests the schedule asked for in the window
     * @param completed  measured requests answered
     * @param errors     errors by kind
     * @param health     the generator's duty cycle and failures
     * @param pipeline   requests allowed in flight per connection
     * @param chat       whether the figures are chat lines
     * @param warmupFailed warm-up requests that ended in an error (their connections may still be stuck)
     * @return the explanation, one line
     */
    public static String explain(final long sent, final double scheduled, final long completed,
        final Map<ErrorKind, Long> errors, final GeneratorHealth health, final int pipeline, final boolean chat,
        final long warmupFailed) {
        final String what = chat ? "lines" : "requests";
        final String lead = sent < 0.99 * scheduled
            ? String.format(Locale.ROOT, "only %d of %.0f scheduled %s were sent", sent, scheduled, what)
            : String.format(Locale.ROOT, "%d %s were sent but only %d answered", sent, what, completed);
        final List<String> causes = new ArrayList<>();
        final long closed = count(errors, ErrorKind.CLOSED_BY_PEER) + count(errors, ErrorKind.RESET);
        if (closed > 0) {
            causes.add(String.format(Locale.ROOT, "the server closed %d connections (%d requests were in flight on "
                + "them)", closed, count(errors, ErrorKind.CLOSED_IN_FLIGHT)));
        }
        final long wrong = count(errors, ErrorKind.PROTOCOL) + count(errors, ErrorKind.VERIFICATION)
            + count(errors, ErrorKind.HTTP_NON_2XX);
        if (wrong > 0) {
            causes.add(wrong + " protocol or verification errors (the server answered, but not as expected)");
        }
        final long unanswered = count(errors, ErrorKind.RESPONSE_TIMEOUT) + count(errors, ErrorKind.UDP_LOSS);
        if (unanswered > 0) {
            causes.add(unanswered + " requests got no reply within the response timeout");
        }
        if (unanswered == 0 && warmupFailed > 0) {
            causes.add(warmupFailed + " warm-up requests failed or got no reply, and their connections sent little "
                + "since (a reply still owed holds its place in the pipeline)");
        }
        final double duty = health.maxDutyCycle();
        if (health.saturated()) {
            causes.add(String.format(Locale.ROOT, "the generator's loop was busy %.0f%% of the window: the "
                + "generator could not keep up (add --threads, or pin it to a CPU of its own)", 100 * duty));
        }
        if (causes.isEmpty()) {
            causes.add(String.format(Locale.ROOT, "replies came too slowly for %d in flight per connection: the "
                + "server could not keep up%s; corrected latency includes the wait", pipeline,
                Double.isNaN(duty) ? "" : String.format(Locale.ROOT, " (the generator's loop was busy only %.0f%%)",
                    100 * duty)));
        }
        return lead + ": " + String.join("; ", causes);
    }

    private static long count(final Map<ErrorKind, Long> errors, final ErrorKind kind) {
        final Long value = errors.get(kind);
        return value == null ? 0 : value;
    }
}
