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
 *
 * <p><b>Reconnect storm.</b> When connections are reopened about as often as requests are answered — fewer
 * than {@value #STORM_REQUESTS_PER_RECONNECT} answered requests per reconnect (a server with
 * {@code keepalive_timeout 0}, one that closes after every reply, one that refuses every reconnect) — the run
 * measured connection set-up rather than requests, and the cause says so. Reconnects the user asked for
 * ({@code --requests-per-connection}) are not reconnects and never make a storm. Ten is the line because
 * below it a reconnect (a handshake, a new socket, a slow-start window) costs at least as much as the
 * requests between two of them, while a server with a keep-alive limit of 100 or 1000 (nginx's defaults) is
 * an order of magnitude clear of it.
 */
public final class ShortfallCause {
    /** Fewer answered requests than this per reconnect is a reconnect storm. */
    public static final int STORM_REQUESTS_PER_RECONNECT = 10;

    private ShortfallCause() {
    }

    /**
     * @param reconnects connections reopened after the server closed them or an attempt failed (whole run)
     * @param completed  measured requests answered
     * @return whether reconnects dominate (see the class comment)
     */
    public static boolean isReconnectStorm(final long reconnects, final long completed) {
        return reconnects > 0 && completed < STORM_REQUESTS_PER_RECONNECT * reconnects;
    }

    /**
     * @param reconnects connections reopened (whole run)
     * @param completed  measured requests answered
     * @param errors     errors by kind
     * @return the storm in one line, naming what the counters show about it
     */
    public static String reconnectStorm(final long reconnects, final long completed,
        final Map<ErrorKind, Long> errors) {
        final long failed = count(errors, ErrorKind.CONNECT_REFUSED) + count(errors, ErrorKind.CONNECT_TIMEOUT)
            + count(errors, ErrorKind.CONNECT_FAILED);
        return String.format(Locale.ROOT, "reconnect storm: %d reconnects for %d answered requests (fewer than %d "
            + "per reconnect)%s: the server closes connections about as fast as they are opened, so this run "
            + "measured connection set-up more than requests (a keep-alive limit or timeout? to measure churn on "
            + "purpose use --requests-per-connection)", reconnects, completed, STORM_REQUESTS_PER_RECONNECT,
            failed == 0 ? "" : String.format(Locale.ROOT, "; %d connect attempts failed (%d refused)", failed,
                count(errors, ErrorKind.CONNECT_REFUSED)));
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
        return explain(sent, scheduled, completed, errors, health, pipeline, chat, warmupFailed, 0);
    }

    /**
     * @param sent         measured requests sent
     * @param scheduled    requests the schedule asked for in the window
     * @param completed    measured requests answered
     * @param errors       errors by kind
     * @param health       the generator's duty cycle and failures
     * @param pipeline     requests allowed in flight per connection
     * @param chat         whether the figures are chat lines
     * @param warmupFailed warm-up requests that ended in an error (their connections may still be stuck)
     * @param reconnects   connections reopened after the server closed them or an attempt failed
     * @return the explanation, one line
     */
    public static String explain(final long sent, final double scheduled, final long completed,
        final Map<ErrorKind, Long> errors, final GeneratorHealth health, final int pipeline, final boolean chat,
        final long warmupFailed, final long reconnects) {
        final String what = chat ? "lines" : "requests";
        final String lead = sent < 0.99 * scheduled
            ? String.format(Locale.ROOT, "only %d of %.0f scheduled %s were sent", sent, scheduled, what)
            : String.format(Locale.ROOT, "%d %s were sent but only %d answered", sent, what, completed);
        final List<String> causes = new ArrayList<>();
        if (isReconnectStorm(reconnects, completed)) {
            causes.add(reconnectStorm(reconnects, completed, errors));
        }
        final long closed = count(errors, ErrorKind.CLOSED_BY_PEER) + count(errors, ErrorKind.RESET);
        if (closed > 0) {
            causes.add(String.format(Locale.ROOT, "the server closed %d connections (%d requests were in flight on "
                + "them)", closed, count(errors, ErrorKind.CLOSED_IN_FLIGHT)));
        }
        final long refused = count(errors, ErrorKind.CONNECT_REFUSED) + count(errors, ErrorKind.CONNECT_TIMEOUT)
            + count(errors, ErrorKind.CONNECT_FAILED);
        if (refused > 0 && !isReconnectStorm(reconnects, completed)) {
            causes.add(String.format(Locale.ROOT, "%d connect attempts failed (%d refused)", refused,
                count(errors, ErrorKind.CONNECT_REFUSED)));
        }
        long wrong = count(errors, ErrorKind.PROTOCOL);
        for (final ErrorKind kind : ErrorKind.values()) {
            // Verification and every protocol's own reply faults (a status not accepted, an error reply).
            wrong += kind.isReplyFault() ? count(errors, kind) : 0;
        }
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
        if (reconnects > 0 && !isReconnectStorm(reconnects, completed)) {
            // Not a cause by itself (fewer than one reconnect per ten requests), but part of the picture.
            causes.add(String.format(Locale.ROOT, "connections were reopened %d times (a client's wait for its new "
                + "connection is in its corrected latency)", reconnects));
        }
        return lead + ": " + String.join("; ", causes);
    }

    private static long count(final Map<ErrorKind, Long> errors, final ErrorKind kind) {
        final Long value = errors.get(kind);
        return value == null ? 0 : value;
    }
}
