package dev.ringside.engine.model;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicInteger;

import org.agrona.ErrorHandler;

/**
 * Prints unexpected errors, one line each, up to a cap; past it they are only counted (by the caller), so a
 * storm of failing connections cannot flood the terminal. Thread-safe.
 */
public final class ErrorPrinter implements ErrorHandler {
    /** Errors printed in full before the rest are only counted. */
    public static final int MAX_PRINTED_ERRORS = 20;

    private final PrintStream out;
    private final String source;
    private final AtomicInteger printed = new AtomicInteger();

    /**
     * @param out    where to print
     * @param source names who reports, e.g. {@code thread}
     */
    public ErrorPrinter(final PrintStream out, final String source) {
        this.out = out;
        this.source = source;
    }

    @Override
    public void onError(final Throwable throwable) {
        final int count = printed.incrementAndGet();
        if (count <= MAX_PRINTED_ERRORS) {
            out.println("ringside: " + source + ": " + throwable);
        } else if (count == MAX_PRINTED_ERRORS + 1) {
            out.println("ringside: further errors are counted, not printed (see 'ringside stat')");
        }
    }
}
