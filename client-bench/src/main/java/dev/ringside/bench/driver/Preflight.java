package dev.ringside.bench.driver;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks, before anything starts, that this process can hold the requested connections: enough file
 * descriptors, and enough ephemeral ports per source address (about 28k on Linux by default; past that
 * connections must come from several source addresses, {@code --bind}). A problem is one line saying
 * what and what to do.
 */
public final class Preflight {
    /** Descriptors the process needs besides its sockets: selectors, their pipes, jars, stdio. */
    static final int BASE_DESCRIPTORS = 64;
    /** Descriptors each generator thread needs besides its sockets (selector and wake-up pipe). */
    static final int PER_THREAD_DESCRIPTORS = 4;
    private static final int DEFAULT_EPHEMERAL_LOW = 32_768;
    private static final int DEFAULT_EPHEMERAL_PORTS = 60_999 - DEFAULT_EPHEMERAL_LOW + 1;

    private Preflight() {
    }

    /**
     * Checks the settings against this machine.
     *
     * @param settings the run
     * @throws IllegalStateException with a one-line message when the run cannot fit
     */
    public static void check(final BenchSettings settings) {
        final String problem = problem(settings, availableDescriptors(), descriptorLimit(), ephemeralPorts());
        if (problem != null) {
            throw new IllegalStateException(problem);
        }
    }

    /**
     * The check itself, with the machine's figures as parameters (tests pass their own).
     *
     * @param settings             the run
     * @param availableDescriptors descriptors this process may still open, or -1 when unknown
     * @param descriptorLimit      the process's limit, or -1 when unknown
     * @param ephemeralPorts       size of the ephemeral port range
     * @return the problem in one line, or {@code null}
     */
    static String problem(final BenchSettings settings, final long availableDescriptors, final long descriptorLimit,
        final int ephemeralPorts) {
        final int connections = settings.connections();
        final long needed = connections + (long) PER_THREAD_DESCRIPTORS * settings.threads() + BASE_DESCRIPTORS;
        if (availableDescriptors >= 0 && needed > availableDescriptors) {
            return String.format("%d connections need about %d file descriptors but this process may open only %d "
                + "more (limit %d): raise the limit with 'ulimit -n %d' in the shell that starts ringside, or ask "
                + "for fewer --connections", connections, needed, availableDescriptors, descriptorLimit,
                roundUp(needed + (descriptorLimit - availableDescriptors)));
        }
        final int sources = Math.max(1, settings.bindAddresses().size());
        final long perSource = (connections + sources - 1) / sources;
        if (perSource > ephemeralPorts) {
            final long sourcesNeeded = (connections + ephemeralPorts - 1) / ephemeralPorts;
            final String hint = settings.target().getAddress().isLoopbackAddress()
                ? String.format(": add --bind 127.0.0.2-127.0.0.%d to spread them over %d loopback source addresses",
                    sourcesNeeded + 1, sourcesNeeded)
                : String.format(": give --bind at least %d local addresses", sourcesNeeded);
            return String.format("%d %s from %s need more than the %d ephemeral ports a source address has "
                + "(net.ipv4.ip_local_port_range)%s", connections, settings.udp() ? "sockets" : "connections",
                sources == 1 ? "one source address" : sources + " source addresses", ephemeralPorts, hint);
        }
        return null;
    }

    /**
     * @param threads generator threads of one process
     * @return connections one process may hold under this machine's descriptor limit (its hard limit, which a
     *         child process gets), or {@link Integer#MAX_VALUE} when the platform does not say
     */
    public static int connectionsPerProcess(final int threads) {
        final long limit = descriptorLimit();
        return limit < 0 ? Integer.MAX_VALUE
            : (int) Math.max(1, Math.min(Integer.MAX_VALUE, limit - BASE_DESCRIPTORS
                - (long) PER_THREAD_DESCRIPTORS * threads));
    }

    /** @return ephemeral ports one source address has towards one destination on this machine */
    public static int portsPerSource() {
        return ephemeralPorts();
    }

    private static long roundUp(final long value) {
        return (value + 1023) / 1024 * 1024;
    }

    /** @return descriptors this process may still open, or -1 when the platform does not say */
    static long availableDescriptors() {
        final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean) {
            final com.sun.management.UnixOperatingSystemMXBean unix = (com.sun.management.UnixOperatingSystemMXBean) os;
            return unix.getMaxFileDescriptorCount() - unix.getOpenFileDescriptorCount();
        }
        return -1;
    }

    /** @return this process's descriptor limit, or -1 when the platform does not say */
    static long descriptorLimit() {
        final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean) {
            return ((com.sun.management.UnixOperatingSystemMXBean) os).getMaxFileDescriptorCount();
        }
        return -1;
    }

    /** @return the size of Linux's ephemeral port range, or its default when it cannot be read */
    static int ephemeralPorts() {
        final int[] range = ephemeralRange();
        return range[1] - range[0] + 1;
    }

    /**
     * @return Linux's ephemeral port range ({@code net.ipv4.ip_local_port_range}) as {@code [low, high]}, or its
     *         default when it cannot be read
     */
    static int[] ephemeralRange() {
        try {
            final String[] range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range"),
                StandardCharsets.US_ASCII).trim().split("\\s+");
            return new int[] {Integer.parseInt(range[0]), Integer.parseInt(range[1])};
        } catch (final IOException | RuntimeException ex) {
            return new int[] {DEFAULT_EPHEMERAL_LOW, DEFAULT_EPHEMERAL_LOW + DEFAULT_EPHEMERAL_PORTS - 1};
        }
    }
}
