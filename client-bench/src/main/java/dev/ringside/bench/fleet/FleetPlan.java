package dev.ringside.bench.fleet;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

import dev.ringside.bench.driver.BenchSettings;

/**
 * How a run is split between generator processes: each gets a share of the connections (as even as whole
 * connections allow), the same share of the rate and of the connect rate, and its own source addresses: the
 * user's {@code --bind} addresses divided between the processes, or, towards an IPv4 loopback target with more
 * than one process (or more connections than one address's ephemeral ports), addresses from 127.0.0.2 up that
 * this plan picks.
 */
public final class FleetPlan {
    /** First loopback source address this plan hands out when it picks them itself (127.0.0.1 is the usual one). */
    private static final int FIRST_LOOPBACK_HOST = 2;

    private FleetPlan() {
    }

    /**
     * One process's part of the run.
     *
     * @param index       0-based
     * @param connections its connections
     * @param rate        its messages per second (0 in closed loop)
     * @param connectRate its connection attempts per second
     * @param threads     its generator threads (the run's, at most its connections)
     * @param bind        its source addresses; empty for the system's choice
     */
    public record Share(int index, int connections, double rate, double connectRate, int threads,
        List<InetAddress> bind) {

        /**
         * @param whole the whole run
         * @return the settings of this process: the whole run's, with this share of it
         */
        public BenchSettings of(final BenchSettings whole) {
            return whole.copy().connections(connections).rate(rate).connectRate(connectRate).threads(threads)
                .bindAddresses(bind);
        }
    }

    /**
     * @param text        what was given to {@code --processes}: a number, or {@code auto}
     * @param connections the run's connections
     * @param perProcess  connections one process may hold (its descriptor limit)
     * @return the number of processes
     * @throws IllegalArgumentException when the text is neither, or the number is out of range
     */
    public static int processes(final String text, final int connections, final int perProcess) {
        if ("auto".equals(text)) {
            return Math.max(1, (int) ((connections + (long) perProcess - 1) / perProcess));
        }
        final int count;
        try {
            count = Integer.parseInt(text);
        } catch (final NumberFormatException ex) {
            throw new IllegalArgumentException("--processes takes a number or 'auto', got '" + text + "'");
        }
        if (count < 1 || count > connections) {
            throw new IllegalArgumentException("--processes must be between 1 and --connections (" + connections
                + "), got " + count);
        }
        return count;
    }

    /**
     * Splits a run.
     *
     * @param settings       the whole run (validated)
     * @param processes      how many processes
     * @param portsPerSource ephemeral ports one source address has
     * @return one share per process
     * @throws IllegalArgumentException when the run needs more source addresses than it can get
     */
    public static List<Share> split(final BenchSettings settings, final int processes, final int portsPerSource) {
        final int connections = settings.connections();
        final List<InetAddress> given = settings.bindAddresses();
        final boolean loopback = settings.target().getAddress() instanceof Inet4Address
            && settings.target().getAddress().isLoopbackAddress();
        // Towards 127.0.0.1, several processes always get an address each, even when one address has the ports:
        // a process with its own address opens its connections from ports it picks (driver/SourcePorts), where
        // the kernel's port search for a shared one costs more with every connection already open.
        final boolean pick = given.isEmpty() && (connections > portsPerSource || loopback && processes > 1);
        if (pick && !loopback) {
            throw new IllegalArgumentException(connections + " connections need more than the " + portsPerSource
                + " ephemeral ports of one source address: give --bind with at least "
                + (connections + portsPerSource - 1) / portsPerSource + " local addresses");
        }
        if (!given.isEmpty() && given.size() < processes
            && (long) connections > (long) given.size() * portsPerSource) {
            throw new IllegalArgumentException(connections + " connections from " + given.size() + " --bind "
                + "addresses need more than their ephemeral ports: give more addresses");
        }
        final List<Share> shares = new ArrayList<>();
        int nextLoopbackHost = FIRST_LOOPBACK_HOST;
        int nextGiven = 0;
        for (int i = 0; i < processes; i++) {
            final int own = connections / processes + (i < connections % processes ? 1 : 0);
            final double part = own / (double) connections;
            final List<InetAddress> bind = new ArrayList<>();
            if (pick) {
                final int needed = (own + portsPerSource - 1) / portsPerSource;
                for (int a = 0; a < needed; a++) {
                    bind.add(loopback(nextLoopbackHost++));
                }
            } else if (given.size() >= processes) {
                // Contiguous blocks, as even as whole addresses allow: no two processes share an address's ports.
                final int count = given.size() / processes + (i < given.size() % processes ? 1 : 0);
                bind.addAll(given.subList(nextGiven, nextGiven + count));
                nextGiven += count;
            } else if (!given.isEmpty()) {
                bind.add(given.get(i % given.size()));
            }
            shares.add(new Share(i, own, settings.closedLoop() ? 0 : settings.rate() * part,
                Double.isInfinite(settings.connectRate()) ? settings.connectRate() : settings.connectRate() * part,
                Math.min(settings.threads(), own), List.copyOf(bind)));
        }
        return shares;
    }

    private static InetAddress loopback(final int host) {
        if (host > 0xFF_FFFE) {
            throw new IllegalArgumentException("the run needs more loopback source addresses than 127.0.0.0/8 has");
        }
        try {
            return InetAddress.getByAddress(new byte[] {127, (byte) (host >>> 16), (byte) (host >>> 8), (byte) host});
        } catch (final UnknownHostException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
