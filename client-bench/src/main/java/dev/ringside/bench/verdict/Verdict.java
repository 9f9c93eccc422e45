package dev.ringside.bench.verdict;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.ringside.bench.record.BenchResult;

/**
 * The end of every summary: one line saying whether the run was clean and its exit status, then one line
 * per {@code --slo}. The exit status is the highest that applies ({@link ExitStatus}); an interrupted run
 * ends 130 or 143 whatever else applies, since what it measured is partial.
 *
 * @param exitCode the process exit status
 * @param status   one word: {@code CLEAN}, {@code FAILED}, {@code SLO-MISSED}, {@code GENERATOR-FAILED},
 *                 {@code INTERRUPTED}
 * @param reasons  why it is not clean (empty when clean)
 * @param checks   each objective, met or missed
 */
public record Verdict(int exitCode, String status, List<String> reasons, List<Slo.Check> checks) {

    /**
     * Judges a run.
     *
     * @param result      the run
     * @param slos        the objectives (may be empty)
     * @param allowErrors whether errors alone still make a clean run
     * @return the verdict
     */
    public static Verdict of(final BenchResult result, final List<Slo> slos, final boolean allowErrors) {
        final List<String> reasons = new ArrayList<>();
        int code = ExitStatus.CLEAN;
        final long errors = result.errorTotal();
        if (errors > 0) {
            reasons.add(errors + " errors" + (allowErrors ? " (accepted: --allow-errors)" : ""));
            if (!allowErrors) {
                code = ExitStatus.FAILED;
            }
        }
        if (result.chat() && result.completed() < result.deliveriesExpected()) {
            reasons.add((result.deliveriesExpected() - result.completed()) + " chat deliveries missing");
            code = ExitStatus.FAILED;
        }
        if (result.targetRate() > 0 && result.durationS() > 0 && result.achievedRate() < 0.99 * result.targetRate()) {
            reasons.add(String.format(Locale.ROOT, "achieved rate %.1f%% of the target (below 99%%)",
                100 * result.achievedRate() / result.targetRate()));
            code = ExitStatus.FAILED;
        }
        if (result.connectionsEstablished() < result.connectionsRequested()) {
            reasons.add(result.connectionsEstablished() + " of " + result.connectionsRequested()
                + " connections established");
            code = ExitStatus.FAILED;
        }
        final List<Slo.Check> checks = new ArrayList<>();
        for (final Slo slo : slos) {
            final Slo.Check check = slo.check(result);
            checks.add(check);
            if (!check.met()) {
                code = Math.max(code, ExitStatus.SLO_MISSED);
            }
        }
        if (!checks.stream().allMatch(Slo.Check::met)) {
            reasons.add("an --slo missed");
        }
        if (result.generator().failed()) {
            // First: a failed generator makes every other figure suspect.
            reasons.add(0, result.generator().failure() != null ? "the generator failed: "
                + result.generator().failure()
                : result.generator().internalErrors() + " unexpected errors inside the generator");
            code = ExitStatus.GENERATOR_FAILED;
        }
        if (!result.chat() && result.sent() >= 0 && !result.balanced()) {
            // A self-check: every measured request must end exactly once. If not, the figures are wrong.
            reasons.add(String.format(Locale.ROOT, "the generator's accounting does not add up (%d sent, %d "
                + "completed, %d failed, %d in flight)", result.sent(), result.completed(), result.requestErrors(),
                result.inFlightAtEnd()));
            code = ExitStatus.GENERATOR_FAILED;
        }
        String status = code == ExitStatus.CLEAN ? "CLEAN" : code == ExitStatus.FAILED ? "FAILED"
            : code == ExitStatus.SLO_MISSED ? "SLO-MISSED" : "GENERATOR-FAILED";
        if (result.interrupted()) {
            reasons.add(0, "interrupted by " + result.generator().interruptedBy() + " after "
                + String.format(Locale.ROOT, "%.1f", result.durationS()) + " s of measurement");
            code = ExitStatus.forSignal(result.generator().interruptedBy());
            status = "INTERRUPTED";
        }
        return new Verdict(code, status, List.copyOf(reasons), List.copyOf(checks));
    }

    /** @return the verdict line, e.g. {@code verdict: FAILED (exit 1): 12 errors} */
    public String line() {
        return "verdict: " + status + " (exit " + exitCode + ")" + (reasons.isEmpty() ? "" : ": "
            + String.join("; ", reasons));
    }

    /** @return the verdict line followed by one line per objective */
    public List<String> lines() {
        final List<String> lines = new ArrayList<>();
        lines.add(line());
        for (final Slo.Check check : checks) {
            lines.add("  " + check.line());
        }
        return lines;
    }
}
