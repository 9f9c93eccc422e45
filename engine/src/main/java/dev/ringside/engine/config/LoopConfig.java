package dev.ringside.engine.config;

import java.util.Objects;
import java.util.concurrent.TimeUnit;

import org.agrona.BitUtil;

/**
 * Settings of one event loop. Setters validate and fail fast with a message that says what to change.
 */
public final class LoopConfig {
    private static final int START_RING_BYTES = 4096;
    private static final int MAX_RING_GROWTH = 16;

    private int ringCapacityBytes = 64 * 1024;
    private int poolRings = 4096;
    private int maxConnections = 100_000;
    private long idleTimeoutNs;
    private long frameTimeoutNs;
    private long writeTimeoutNs;
    private IdleMode idleMode = IdleMode.BLOCK;
    private int acceptBudget = 64;
    private int datagramBudget = 64;
    private int maxDatagramBytes = 65_507;
    private long acceptBackoffNs = TimeUnit.MILLISECONDS.toNanos(100);
    private int commandBudget = 64;
    private int timerBudget = 256;
    private long connectTimeoutNs = TimeUnit.SECONDS.toNanos(10);
    private int socketSendBufferBytes;
    private int socketReceiveBufferBytes;
    private int datagramReceiveBufferBytes;

    public int ringCapacityBytes() {
        return ringCapacityBytes;
    }

    /**
     * Capacity of each connection ring.
     *
     * @param bytes a power of two between 64 bytes and 64 MiB
     * @return this
     */
    public LoopConfig ringCapacityBytes(final int bytes) {
        if (bytes < 64 || bytes > 64 * 1024 * 1024 || !BitUtil.isPowerOfTwo(bytes)) {
            throw new IllegalArgumentException(
                "ring capacity must be a power of two between 64 B and 64 MiB, got " + bytes);
        }
        this.ringCapacityBytes = bytes;
        return this;
    }

    public int poolRings() {
        return poolRings;
    }

    /**
     * How many rings the pool may hold; memory is bounded by this times the ring capacity.
     *
     * @param rings at least 2 (a connection may hold an inbound and an outbound ring)
     * @return this
     */
    public LoopConfig poolRings(final int rings) {
        if (rings < 2) {
            throw new IllegalArgumentException("the ring pool needs at least 2 rings, got " + rings);
        }
        this.poolRings = rings;
        return this;
    }

    /**
     * The ring a connection leases first: 4 KiB, or the ring capacity when smaller, or 1/16 of it when that is
     * larger (the pool splits a block into at most 16 rings). Rings grow by doubling up to the capacity only
     * while a frame or unsent output needs it.
     *
     * @return bytes
     */
    public int ringStartBytes() {
        return Math.min(ringCapacityBytes, Math.max(START_RING_BYTES, ringCapacityBytes / MAX_RING_GROWTH));
    }

    /** @return bytes of direct memory the pool may commit at most */
    public long poolBytes() {
        return (long) poolRings * ringCapacityBytes;
    }

    public int maxConnections() {
        return maxConnections;
    }

    /**
     * Connections beyond this are accepted and closed at once, counted as rejected.
     *
     * @param connections at least 1
     * @return this
     */
    public LoopConfig maxConnections(final int connections) {
        if (connections < 1) {
            throw new IllegalArgumentException("max connections must be at least 1, got " + connections);
        }
        this.maxConnections = connections;
        return this;
    }

    public long idleTimeoutNs() {
        return idleTimeoutNs;
    }

    /**
     * Closes connections with no traffic for this long.
     *
     * @param timeoutNs 0 to disable
     * @return this
     */
    public LoopConfig idleTimeoutNs(final long timeoutNs) {
        if (timeoutNs < 0) {
            throw new IllegalArgumentException("idle timeout must not be negative, got " + timeoutNs);
        }
        this.idleTimeoutNs = timeoutNs;
        return this;
    }

    /** @return how long a started frame or request head may take to complete; 0 = no limit */
    public long frameTimeoutNs() {
        return frameTimeoutNs;
    }

    /**
     * Deadline for a frame (or request head) once its first byte arrived. Unlike the idle timeout, a trickle of
     * bytes does not move it: only completing the frame does.
     *
     * @param timeoutNs nanoseconds, 0 for none
     * @return this
     */
    public LoopConfig frameTimeoutNs(final long timeoutNs) {
        this.frameTimeoutNs = notNegative(timeoutNs, "frame timeout");
        return this;
    }

    /** @return how long queued output may go without progress; 0 = no limit */
    public long writeTimeoutNs() {
        return writeTimeoutNs;
    }

    /**
     * Deadline for queued output to make progress: a peer that stops reading is closed after this long.
     *
     * @param timeoutNs nanoseconds, 0 for none
     * @return this
     */
    public LoopConfig writeTimeoutNs(final long timeoutNs) {
        this.writeTimeoutNs = notNegative(timeoutNs, "write timeout");
        return this;
    }

    public IdleMode idleMode() {
        return idleMode;
    }

    /**
     * What the loop does when idle.
     *
     * @param mode the mode
     * @return this
     */
    public LoopConfig idleMode(final IdleMode mode) {
        this.idleMode = Objects.requireNonNull(mode, "idle mode");
        return this;
    }

    public int acceptBudget() {
        return acceptBudget;
    }

    /**
     * Connections accepted per listener per cycle, so a connection storm cannot starve established peers.
     *
     * @param budget at least 1
     * @return this
     */
    public LoopConfig acceptBudget(final int budget) {
        this.acceptBudget = positive(budget, "accept budget");
        return this;
    }

    public int datagramBudget() {
        return datagramBudget;
    }

    /**
     * Datagrams received per endpoint per cycle.
     *
     * @param budget at least 1
     * @return this
     */
    public LoopConfig datagramBudget(final int budget) {
        this.datagramBudget = positive(budget, "datagram budget");
        return this;
    }

    public int maxDatagramBytes() {
        return maxDatagramBytes;
    }

    /**
     * Largest datagram handled; larger ones are dropped and counted.
     *
     * @param bytes 1 to 65507
     * @return this
     */
    public LoopConfig maxDatagramBytes(final int bytes) {
        if (bytes < 1 || bytes > 65_507) {
            throw new IllegalArgumentException("max datagram size must be 1..65507 bytes, got " + bytes);
        }
        this.maxDatagramBytes = bytes;
        return this;
    }

    public long acceptBackoffNs() {
        return acceptBackoffNs;
    }

    /**
     * How long accepting pauses after the file-descriptor limit was hit.
     *
     * @param backoffNs at least 1 ms
     * @return this
     */
    public LoopConfig acceptBackoffNs(final long backoffNs) {
        if (backoffNs < TimeUnit.MILLISECONDS.toNanos(1)) {
            throw new IllegalArgumentException("accept back-off must be at least 1 ms, got " + backoffNs + " ns");
        }
        this.acceptBackoffNs = backoffNs;
        return this;
    }

    public int commandBudget() {
        return commandBudget;
    }

    public int timerBudget() {
        return timerBudget;
    }

    public long connectTimeoutNs() {
        return connectTimeoutNs;
    }

    /**
     * How long an outbound connection may take to establish.
     *
     * @param timeoutNs positive
     * @return this
     */
    public LoopConfig connectTimeoutNs(final long timeoutNs) {
        if (timeoutNs <= 0) {
            throw new IllegalArgumentException("connect timeout must be positive, got " + timeoutNs);
        }
        this.connectTimeoutNs = timeoutNs;
        return this;
    }

    public int socketSendBufferBytes() {
        return socketSendBufferBytes;
    }

    /**
     * {@code SO_SNDBUF} for stream sockets; small values force partial writes (tests, backpressure studies).
     *
     * @param bytes 0 for the operating system's default
     * @return this
     */
    public LoopConfig socketSendBufferBytes(final int bytes) {
        this.socketSendBufferBytes = notNegative(bytes, "socket send buffer");
        return this;
    }

    public int socketReceiveBufferBytes() {
        return socketReceiveBufferBytes;
    }

    /**
     * {@code SO_RCVBUF} for stream and datagram sockets.
     *
     * @param bytes 0 for the operating system's default
     * @return this
     */
    public LoopConfig socketReceiveBufferBytes(final int bytes) {
        this.socketReceiveBufferBytes = notNegative(bytes, "socket receive buffer");
        return this;
    }

    /** @return {@code SO_RCVBUF} for datagram sockets: its own setting, else {@link #socketReceiveBufferBytes()} */
    public int datagramReceiveBufferBytes() {
        return datagramReceiveBufferBytes > 0 ? datagramReceiveBufferBytes : socketReceiveBufferBytes;
    }

    /**
     * {@code SO_RCVBUF} for datagram sockets only. A UDP server's one socket takes every client's datagrams;
     * with the default buffer (about 200 datagrams on Linux) a stall of a few milliseconds drops some. The
     * kernel caps the value at {@code net.core.rmem_max}.
     *
     * @param bytes 0 to use {@link #socketReceiveBufferBytes()}
     * @return this
     */
    public LoopConfig datagramReceiveBufferBytes(final int bytes) {
        this.datagramReceiveBufferBytes = notNegative(bytes, "datagram receive buffer");
        return this;
    }

    /** @return outbound bytes above which a connection stops reading */
    public int highWaterBytes() {
        return ringCapacityBytes - ringCapacityBytes / 4;
    }

    /** @return outbound bytes below which a stalled connection reads again */
    public int lowWaterBytes() {
        return ringCapacityBytes / 4;
    }

    private static long notNegative(final long value, final String what) {
        if (value < 0) {
            throw new IllegalArgumentException(what + " must not be negative, got " + value);
        }
        return value;
    }

    private static int notNegative(final int value, final String what) {
        if (value < 0) {
            throw new IllegalArgumentException(what + " must not be negative, got " + value);
        }
        return value;
    }

    private static int positive(final int value, final String what) {
        if (value < 1) {
            throw new IllegalArgumentException(what + " must be at least 1, got " + value);
        }
        return value;
    }
}
