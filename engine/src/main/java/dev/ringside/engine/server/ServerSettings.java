package dev.ringside.engine.server;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import dev.ringside.engine.config.LoopConfig;
import dev.ringside.engine.protocol.ProtocolOptions;

/**
 * Everything a {@link Server} is built from.
 */
public final class ServerSettings {
    private final List<InetSocketAddress> tcpAddresses = new ArrayList<>();
    private final List<InetSocketAddress> udpAddresses = new ArrayList<>();
    private String protocol = "echo";
    private ProtocolOptions protocolOptions = new ProtocolOptions();
    private LoopConfig loopConfig = new LoopConfig();
    private int loops = 1;
    private boolean publishCounters;

    public List<InetSocketAddress> tcpAddresses() {
        return tcpAddresses;
    }

    public List<InetSocketAddress> udpAddresses() {
        return udpAddresses;
    }

    /**
     * Adds a TCP listener.
     *
     * @param address where
     * @return this
     */
    public ServerSettings tcp(final InetSocketAddress address) {
        tcpAddresses.add(address);
        return this;
    }

    /**
     * Adds a UDP endpoint.
     *
     * @param address where
     * @return this
     */
    public ServerSettings udp(final InetSocketAddress address) {
        udpAddresses.add(address);
        return this;
    }

    public String protocol() {
        return protocol;
    }

    /**
     * Selects the protocol by name.
     *
     * @param name e.g. {@code echo}
     * @return this
     */
    public ServerSettings protocol(final String name) {
        this.protocol = name;
        return this;
    }

    public ProtocolOptions protocolOptions() {
        return protocolOptions;
    }

    /**
     * Sets protocol options.
     *
     * @param options the options
     * @return this
     */
    public ServerSettings protocolOptions(final ProtocolOptions options) {
        this.protocolOptions = options;
        return this;
    }

    public LoopConfig loopConfig() {
        return loopConfig;
    }

    /**
     * Sets loop settings.
     *
     * @param config the settings
     * @return this
     */
    public ServerSettings loopConfig(final LoopConfig config) {
        this.loopConfig = config;
        return this;
    }

    public int loops() {
        return loops;
    }

    /**
     * Sets the number of event loops; with more than one, each loop listens on every TCP port with
     * {@code SO_REUSEPORT} and the kernel spreads connections across them.
     *
     * @param count at least 1
     * @return this
     */
    public ServerSettings loops(final int count) {
        if (count < 1) {
            throw new IllegalArgumentException("loops must be at least 1, got " + count);
        }
        this.loops = count;
        return this;
    }

    public boolean publishCounters() {
        return publishCounters;
    }

    /**
     * Publishes counters in a memory-mapped file for {@code ringside stat}.
     *
     * @param publish whether to
     * @return this
     */
    public ServerSettings publishCounters(final boolean publish) {
        this.publishCounters = publish;
        return this;
    }
}
