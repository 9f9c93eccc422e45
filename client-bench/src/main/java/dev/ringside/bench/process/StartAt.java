package dev.ringside.bench.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code --start-at TIME}: a wall-clock instant at which a run begins, so that generators on several hosts
 * (or several processes on one host) start together; their interval logs then line up for {@code merge}.
 * TIME is ISO-8601 with a zone ({@code 2026-12-03T14:00:00Z}, {@code 2026-12-03T15:00:00+01:00}) or seconds
 * since the epoch ({@code 1796306400}, {@code 1796306400.250}; what {@code date +%s.%N} prints).
 *
 * <p>An instant a little in the past (a slow JVM start, a late ssh) starts at once and says how late; one
 * more than {@link #MAX_LATE_MS} in the past or {@link #MAX_AHEAD_MS} in the future is taken for a mistake
 * (a wrong date or a clock off) and refused before anything runs.
 *
 * <p>{@code --start-at stdin} is the same instant handed over later: once the process is ready to run (its JVM
 * started and warmed), it prints {@link #READY_MARK} on stderr and reads the instant from the first line of its
 * standard input. This is how {@code bench --processes} starts its children: an instant picked before they are
 * started has to guess how long their JVMs take, and on a small busy machine six JVMs starting on one core took
 * 15 s, missing a guess of 8 s by 7.4-7.8 s; picked once all have said they are ready, it can be close.
 */
public final class StartAt {
    /** How far in the past an instant may be and still start (late) rather than be refused. */
    public static final long MAX_LATE_MS = TimeUnit.MINUTES.toMillis(1);
    /** What the line saying how late a start was holds just before the seconds. */
    public static final String LATE_MARK = "starting late by";
    /** How far in the future an instant may be. */
    public static final long MAX_AHEAD_MS = TimeUnit.DAYS.toMillis(1);
    /** What {@code --start-at} takes for "read it from standard input once ready". */
    public static final String FROM_INPUT = "stdin";
    /** What {@link #parse} returns for {@link #FROM_INPUT}: not an instant yet. */
    public static final long TOLD_LATER = -2;
    /** The line a process told its instant later prints on stderr when it is ready for it. */
    public static final String READY_MARK = "ringside: ready; reading the start instant from standard input";

    private StartAt() {
    }

    /**
     * @param text  what was given to {@code --start-at}
     * @param nowMs the wall clock now, ms since the epoch
     * @return the instant, ms since the epoch
     * @throws IllegalArgumentException saying what is wrong and what is expected
     */
    public static long parse(final String text, final long nowMs) {
        if (FROM_INPUT.equals(text.trim())) {
            return TOLD_LATER;
        }
        final long epochMs = parseInstant(text.trim());
        if (nowMs - epochMs > MAX_LATE_MS) {
            throw new IllegalArgumentException("--start-at " + text + " was " + seconds(nowMs - epochMs)
                + " s ago (more than " + MAX_LATE_MS / 1000 + " s): check the date and this host's clock");
        }
        if (epochMs - nowMs > MAX_AHEAD_MS) {
            throw new IllegalArgumentException("--start-at " + text + " is more than a day ahead: check the date");
        }
        return epochMs;
    }

    private static long parseInstant(final String text) {
        if (!text.isEmpty() && Character.isDigit(text.charAt(0)) && text.chars().allMatch(
            c -> Character.isDigit(c) || c == '.')) {
            try {
                return new BigDecimal(text).movePointRight(3).setScale(0, java.math.RoundingMode.HALF_UP)
                    .longValueExact();
            } catch (final NumberFormatException | ArithmeticException ex) {
                throw bad(text);
            }
        }
        try {
            return OffsetDateTime.parse(text).toInstant().toEpochMilli();
        } catch (final DateTimeParseException ex) {
            try {
                return Instant.parse(text).toEpochMilli();
            } catch (final DateTimeParseException again) {
                throw bad(text);
            }
        }
    }

    private static IllegalArgumentException bad(final String text) {
        return new IllegalArgumentException("bad --start-at '" + text + "': give an ISO-8601 time with a zone, e.g. "
            + "2026-12-03T14:00:00Z, seconds since the epoch, e.g. $(date -d '+30 sec' +%s), or " + FROM_INPUT);
    }

    /**
     * The instant itself: what {@link #parse} returned, or, for {@link #TOLD_LATER}, the instant read from the
     * first line of {@code in} after {@link #READY_MARK} has been printed on {@code progress}.
     *
     * @param parsed   what {@link #parse} returned
     * @param in       standard input
     * @param progress where the ready line goes
     * @return the instant, ms since the epoch
     * @throws IOException              when the input cannot be read
     * @throws IllegalArgumentException when it ends before a line, or the line is not an instant
     */
    public static long resolve(final long parsed, final InputStream in, final PrintStream progress)
        throws IOException {
        if (parsed != TOLD_LATER) {
            return parsed;
        }
        progress.println(READY_MARK);
        progress.flush();
        // Not a BufferedReader: it would read past the line, and this process's stdin is read nowhere else.
        final StringBuilder line = new StringBuilder();
        for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
            line.append((char) c);
        }
        if (line.length() == 0) {
            throw new IllegalArgumentException("--start-at " + FROM_INPUT + ": standard input ended before a start "
                + "instant came (did the process that started this one stop?)");
        }
        return parse(line.toString(), System.currentTimeMillis());
    }

    /**
     * @param epochMs an instant
     * @return it as seconds since the epoch with milliseconds, as {@link #parse} reads it back exactly
     */
    public static String format(final long epochMs) {
        return BigDecimal.valueOf(epochMs).movePointLeft(3).toPlainString();
    }

    /**
     * Waits until the instant (parking, bounded by the instant itself), saying so on {@code progress}.
     *
     * @param epochMs  the instant
     * @param progress where to say what it waits for, or that it starts late
     * @return how late the wait ended, ms (0 or more): how far this start is from the shared one
     * @throws InterruptedException when interrupted while waiting
     */
    public static long await(final long epochMs, final PrintStream progress) throws InterruptedException {
        final long aheadMs = epochMs - System.currentTimeMillis();
        if (aheadMs < 0) {
            progress.println("ringside: --start-at " + Instant.ofEpochMilli(epochMs) + " has passed: " + LATE_MARK
                + " " + seconds(-aheadMs));
            progress.flush();
            return -aheadMs;
        }
        progress.println("ringside: waiting until " + Instant.ofEpochMilli(epochMs) + " (--start-at), "
            + seconds(aheadMs) + " s from now");
        progress.flush();
        long leftMs = aheadMs;
        while (leftMs > 0) {
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting for --start-at");
            }
            // Wall clock, re-read after every park: a park may return early, and the deadline is absolute.
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(Math.min(leftMs, 100)));
            leftMs = epochMs - System.currentTimeMillis();
        }
        return -leftMs;
    }

    private static String seconds(final long ms) {
        return String.format(Locale.ROOT, "%.3f", ms / 1000.0);
    }
}
