package dev.ringside.bench.compare;

import dev.ringside.bench.sweep.SearchResult;
import dev.ringside.bench.sweep.SweepOutcome;
import dev.ringside.bench.sweep.SweepStep;
import dev.ringside.engine.model.ServerModel;

/**
 * One model at one connection count under {@code compare --sweep}: its own server, its own sweep.
 *
 * @param model       the server model
 * @param connections connections per step
 * @param outcome     the sweep; {@code null} when the server did not start
 * @param note        what happened, in a few words ({@code ok}, or why the server did not start)
 */
public record SweepCell(ServerModel model, int connections, SweepOutcome outcome, String note) {

    /**
     * @return the cell's headline: with objectives, the highest rate meeting them (0 when none did); without,
     *         the most it achieved in any step; NaN when nothing ran
     */
    public double highestRate() {
        if (outcome == null || outcome.steps().isEmpty()) {
            return Double.NaN;
        }
        final SearchResult search = outcome.search();
        if (search != null) {
            return search.highestRate();
        }
        double most = 0;
        for (final SweepStep step : outcome.steps()) {
            most = Math.max(most, step.achievedRate());
        }
        return most;
    }

    /** @return what limits the headline, in a few words */
    public String limit() {
        if (outcome == null) {
            return note;
        }
        final String limit = unlessInterrupted();
        return outcome.interruptedBy() == null ? limit : "interrupted by " + outcome.interruptedBy() + " after "
            + outcome.steps().size() + " steps, so far: " + limit;
    }

    private String unlessInterrupted() {
        final SearchResult search = outcome.search();
        if (search == null) {
            return outcome.stoppedEarly() != null ? "overloaded above" : "top of --sweep reached";
        }
        if (search.met() == null) {
            return "no rate met the objectives";
        }
        if (search.missed() == null) {
            return "at least: every rate met";
        }
        return search.generatorLimited() ? "the generator (duty cycle near 100%)" : search.missed().verdict();
    }
}
