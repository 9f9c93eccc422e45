package dev.ringside.engine.model;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import dev.ringside.engine.config.LoopConfig;

/**
 * Everything a {@link BlockingServer} is built from besides its protocol and counters. The ring, pool,
 * connection-limit and socket settings are the selector loop's own ({@link LoopConfig}), so both kinds of
 * server are configured by the same flags.
 */
public final class BlockingSettings {
    private final List<InetSocketAddress> tcpAddresses = new ArrayList<>();
    private final List<InetSocketAddress> udpAddresses = new ArrayList<>();
    private ServerModel model = ServerModel.THREAD;
    private LoopConfig config = new LoopConfig();
    private int threads = Runtime.getRuntime().availableProcessors();
    private boolean reusePort;

    /** @return the TCP listeners */
    public List<InetSocketAddress> tcpAddresses() {
        return tcpAddresses;
    }

    /** @return the UDP endpoints */
    public List<InetSocketAddress> udpAddresses() {
        return udpAddresses;
    }

    /**
     * Adds a TCP listener.
     *
     * @param address where
     * @return this
     */
    public BlockingSettings tcp(final InetSocketAddress address) {
        tcpAddresses.add(address);
        return this;
    }

    /**
     * Adds a UDP endpoint.
     *
     * @param address where
     * @return this
     */
    public BlockingSettings udp(final InetSocketAddress address) {
        udpAddresses.add(address);
        return this;
    }

    /** @return the model */
    public ServerModel model() {
        return model;
    }

    /**
     * Selects the model.
     *
     * @param blockingModel iterative, thread, pool or virtual
     * @return this
     */
    public BlockingSettings model(final ServerModel blockingModel) {
        if (!blockingModel.isBlocking()) {
            throw new IllegalArgumentException("model '" + blockingModel.label() + "' is not a blocking model");
        }
        this.model = blockingModel;
        return this;
    }

    /** @return ring, pool, limit and socket settings */
    public LoopConfig config() {
        return config;
    }

    /**
     * Sets ring, pool, limit and socket settings.
     *
     * @param loopConfig the settings
     * @return this
     */
    public BlockingSettings config(final LoopConfig loopConfig) {
        this.config = loopConfig;
        return this;
    }

    /** @return the pool model's thread count */
    public int threads() {
        return threads;
    }

    /**
     * Sets the pool model's thread count.
     *
     * @param count at least 1
     * @return this
     */
    public BlockingSettings threads(final int count) {
        if (count < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, got " + count);
        }
        this.threads = count;
        return this;
    }

    /** @return whether sockets are bound with {@code SO_REUSEPORT} */
    public boolean reusePort() {
        return reusePort;
    }

    /**
     * Binds with {@code SO_REUSEPORT}, so several worker processes share the ports.
     *
     * @param reuse whether to
     * @return this
     */
    public BlockingSettings reusePort(final boolean reuse) {
        this.reusePort = reuse;
        return this;
    }
}
