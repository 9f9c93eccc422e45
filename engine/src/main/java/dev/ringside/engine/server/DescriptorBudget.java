package dev.ringside.engine.server;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

import com.sun.management.UnixOperatingSystemMXBean;

/**
 * How many connections this process can hold open: its open-files limit, less the descriptors it already
 * uses (JVM, jars, counters file) and what the engine opens for itself (a selector and its wake-up pipe per
 * loop, the listeners) and a spare few (accepting a connection only to reject it needs one). A default
 * {@code --max-connections} above this would let the kernel complete handshakes the server can never accept.
 */
public final class DescriptorBudget {
    /** A selector holds its epoll descriptor and a wake-up pipe (two ends). */
    private static final int PER_LOOP = 3;
    /** Jar files opened lazily, /proc reads, a rejected accept: room so the budget is never the last fd. */
    private static final int SPARE = 32;
    /** When the limit cannot be read (not a Unix JVM): the old fixed default. */
    public static final int UNKNOWN = 100_000;

    private final long limit;
    private final long inUse;

    private DescriptorBudget(final long limit, final long inUse) {
        this.limit = limit;
        this.inUse = inUse;
    }

    /** @return the limit and use of this process now */
    public static DescriptorBudget current() {
        final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof UnixOperatingSystemMXBean) {
            final UnixOperatingSystemMXBean unix = (UnixOperatingSystemMXBean) os;
            return new DescriptorBudget(unix.getMaxFileDescriptorCount(), unix.getOpenFileDescriptorCount());
        }
        return new DescriptorBudget(-1, -1);
    }

    /** @return whether the limit is known */
    public boolean known() {
        return limit > 0;
    }

    /** @return the open-files limit, or -1 */
    public long limit() {
        return limit;
    }

    /** @return descriptors open when measured, or -1 */
    public long inUse() {
        return inUse;
    }

    /**
     * Connections that fit in what is left.
     *
     * @param loops     selector loops (or 1 for a blocking model)
     * @param listeners TCP and UDP listeners per loop
     * @return at least 1; {@link #UNKNOWN} when the limit is not known
     */
    public int connections(final int loops, final int listeners) {
        if (!known()) {
            return UNKNOWN;
        }
        final long left = limit - inUse - (long) loops * (PER_LOOP + listeners) - SPARE;
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, left));
    }
}
