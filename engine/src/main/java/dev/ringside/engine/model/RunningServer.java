package dev.ringside.engine.model;

import java.net.InetSocketAddress;
import java.util.List;

import dev.ringside.engine.counter.CounterTotals;
import dev.ringside.engine.counter.CountersFile;

/**
 * A server of any model, bound and ready to start: what the {@code server} command and tests need from it.
 */
public interface RunningServer extends AutoCloseable {
    /** @return the bound TCP addresses, in the order given (real ports when port 0 was asked for) */
    List<InetSocketAddress> tcpAddresses();

    /** @return the bound UDP addresses, in the order given */
    List<InetSocketAddress> udpAddresses();

    /** Starts serving. */
    void start();

    /**
     * Stops accepting, lets connections flush for up to {@code graceNs}, then closes what is left.
     *
     * @param graceNs grace period for output to drain
     * @throws InterruptedException if interrupted while waiting
     */
    void shutdown(long graceNs) throws InterruptedException;

    /** @return current counter totals */
    CounterTotals totals();

    /** @return the counters file published for {@code ringside stat}, or {@code null} */
    CountersFile countersFile();

    /** Releases every resource; idempotent. */
    @Override
    void close();
}
