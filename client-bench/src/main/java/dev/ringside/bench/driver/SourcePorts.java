package dev.ringside.bench.driver;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Picks the source port of each client's first connection when the run has its own source addresses
 * ({@code --bind}, or the loopback addresses {@code bench --processes} hands each child): the ports of
 * Linux's ephemeral range in turn, each once, so that {@code bind()} is one lookup.
 *
 * <p>Why: left to the kernel ({@code bind(addr, 0)}, or {@code connect()} without a bind), every new connection
 * searches the port range for a free port from a hashed starting point and checks each taken port it passes
 * ({@code inet_csk_get_port}, {@code __inet_hash_connect}): the cost of one connect grows with the ports already
 * taken. Measured on a 2-core VM, 16,667 connections from one source address to one server spent 47-55% of the
 * generator's CPU in those searches (perf: {@code __inet_hash_connect}, {@code __inet_check_established};
 * {@code inet_bhash2_conflict}, {@code inet_bind2_bucket_find} with a bind), and opening them took most of a
 * minute. The kernel's own answer, {@code IP_BIND_ADDRESS_NO_PORT}, is not reachable from Java 17.
 *
 * <p>Threads of one process share the addresses, so the range is dealt out between them: thread {@code t} of
 * {@code T} takes the ports {@code low + t}, {@code low + t + T}, ... Only first connections take a port from here:
 * a reconnect goes back to the kernel's choice (its search knows which ports are free again, and which are still
 * in {@code TIME_WAIT}), so this class never hands out a port twice and needs no bookkeeping of closes. A port
 * that turns out taken (another process's socket) is skipped by the caller, a few at most, before it too falls
 * back to the kernel's choice.
 */
public final class SourcePorts {
    /** Taken ports a connect skips before it leaves the choice to the kernel. */
    public static final int MAX_SKIPS = 16;

    private final InetAddress[] addresses;
    private final InetSocketAddress[] anyPort;
    private final int[] nextPort;
    private final int highPort;
    private final int stride;

    /**
     * @param addresses the source addresses, used round-robin by client id
     * @param lowPort   first port of the range
     * @param highPort  last port of the range (inclusive)
     * @param thread    this generator thread's index
     * @param threads   generator threads sharing the addresses in this process
     */
    public SourcePorts(final List<InetAddress> addresses, final int lowPort, final int highPort, final int thread,
        final int threads) {
        if (addresses.isEmpty() || lowPort < 1 || highPort > 0xFFFF || highPort < lowPort || thread < 0
            || threads < 1 || thread >= threads) {
            throw new IllegalArgumentException("bad source port plan: " + addresses + " " + lowPort + "-" + highPort
                + " thread " + thread + " of " + threads);
        }
        this.addresses = addresses.toArray(new InetAddress[0]);
        this.anyPort = new InetSocketAddress[this.addresses.length];
        this.nextPort = new int[this.addresses.length];
        for (int i = 0; i < this.addresses.length; i++) {
            anyPort[i] = new InetSocketAddress(this.addresses[i], 0);
            nextPort[i] = lowPort + thread;
        }
        this.highPort = highPort;
        this.stride = threads;
    }

    /**
     * @param addresses the source addresses
     * @param thread    this generator thread's index
     * @param threads   generator threads in this process
     * @return a plan over this machine's ephemeral port range
     */
    public static SourcePorts ephemeral(final List<InetAddress> addresses, final int thread, final int threads) {
        final int[] range = Preflight.ephemeralRange();
        return new SourcePorts(addresses, range[0], range[1], thread, threads);
    }

    /**
     * @param clientId the client's id (picks its address, round-robin)
     * @return the address with the kernel's choice of port (port 0)
     */
    public InetSocketAddress anyPort(final int clientId) {
        return anyPort[clientId % addresses.length];
    }

    /**
     * @param clientId the client's id (picks its address, round-robin)
     * @return the address with the next port not handed out yet, or with port 0 once the range is used up
     */
    public InetSocketAddress next(final int clientId) {
        final int address = clientId % addresses.length;
        final int port = nextPort[address];
        if (port > highPort) {
            return anyPort[address];
        }
        nextPort[address] = port + stride;
        return new InetSocketAddress(addresses[address], port);
    }
}
