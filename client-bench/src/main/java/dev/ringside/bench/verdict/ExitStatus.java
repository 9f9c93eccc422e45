package dev.ringside.bench.verdict;

/**
 * The exit statuses of {@code ringside bench} (and of compare, merge and demo where they apply). When more
 * than one applies the highest number wins; an interrupted run always ends 130 or 143.
 */
public final class ExitStatus {
    /** A clean run: no errors, the target rate reached, every connection established, every SLO met. */
    public static final int CLEAN = 0;
    /** Errors (unless {@code --allow-errors}), achieved rate below 99% of the target, or connections missing. */
    public static final int FAILED = 1;
    /** A mistake on the command line or an output path that cannot be written; nothing ran. */
    public static final int USAGE = 2;
    /** An {@code --slo} was missed. */
    public static final int SLO_MISSED = 3;
    /** The generator itself failed (a thread died, out of memory, not enough file descriptors or ports). */
    public static final int GENERATOR_FAILED = 4;
    /** Interrupted by SIGINT (Ctrl-C): 128 + 2. The results measured so far are still written. */
    public static final int SIGINT = 130;
    /** Interrupted by SIGTERM: 128 + 15. The results measured so far are still written. */
    public static final int SIGTERM = 143;

    /** The codes as one help paragraph for every command that runs load; picocli formats it, hence {@code %%}. */
    public static final String HELP = "Exit status: 0 clean; 1 errors, achieved rate below 99%% of the target, or "
        + "connections not all established; 2 usage error; 3 an --slo missed; 4 the generator failed (a thread died, "
        + "out of memory, file descriptors); 130/143 interrupted by SIGINT/SIGTERM (results so far are still "
        + "written).";

    private ExitStatus() {
    }

    /**
     * @param signal {@code SIGINT} or {@code SIGTERM}
     * @return the status a run interrupted by it ends with
     */
    public static int forSignal(final String signal) {
        return "SIGTERM".equals(signal) ? SIGTERM : SIGINT;
    }
}
