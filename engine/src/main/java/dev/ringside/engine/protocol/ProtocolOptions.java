package dev.ringside.engine.protocol;

import java.io.PrintStream;

/**
 * Settings that shape a protocol, gathered from the command line. Each protocol reads the ones it uses;
 * setters validate and fail fast with a message that says what to change.
 */
public final class ProtocolOptions {
    /** {@link #responseSizeBytes()} value meaning "reply with as many bytes as the request carried". */
    public static final int SAME_AS_REQUEST = -1;
    /** Default longest chat line, newline excluded. */
    public static final int DEFAULT_MAX_LINE_BYTES = 4096;
    /** Default largest frame (rr, sockperf): the default ring capacity, since a frame must fit in a ring. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 64 * 1024;
    /** Default limit on an HTTP request's head (request line and headers). */
    public static final int DEFAULT_MAX_HEADER_BYTES = 8192;

    private PrintStream printer;
    private int maxLineBytes = DEFAULT_MAX_LINE_BYTES;
    private boolean echoSelf;
    private boolean names;
    private boolean sharedAcrossThreads;
    private int responseSizeBytes = SAME_AS_REQUEST;
    private int maxFrameBytes = DEFAULT_MAX_FRAME_BYTES;
    private int maxHeaderBytes = DEFAULT_MAX_HEADER_BYTES;
    private String serverName = "ringside";

    /** @return where the discard protocol prints received lines, or {@code null} for silent */
    public PrintStream printer() {
        return printer;
    }

    /**
     * Makes the discard protocol print each received line.
     *
     * @param printer destination, or {@code null} for silent
     * @return this
     */
    public ProtocolOptions printer(final PrintStream printer) {
        this.printer = printer;
        return this;
    }

    /** @return chat: longest line accepted, newline excluded */
    public int maxLineBytes() {
        return maxLineBytes;
    }

    /**
     * Chat: a longer line closes its sender's connection as a protocol error.
     *
     * @param bytes at least 1
     * @return this
     */
    public ProtocolOptions maxLineBytes(final int bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("--max-line must be at least 1 byte, got " + bytes);
        }
        this.maxLineBytes = bytes;
        return this;
    }

    /** @return chat: whether a sender receives its own lines too */
    public boolean echoSelf() {
        return echoSelf;
    }

    /**
     * Chat: deliver each line to its sender as well.
     *
     * @param echo whether to
     * @return this
     */
    public ProtocolOptions echoSelf(final boolean echo) {
        this.echoSelf = echo;
        return this;
    }

    /** @return chat: whether lines carry their sender's name ({@link ChatNames}) */
    public boolean names() {
        return names;
    }

    /**
     * Chat: stamp each line with its sender's name, announce joins and leaves, accept {@code /nick}.
     *
     * @param on whether to
     * @return this
     */
    public ProtocolOptions names(final boolean on) {
        this.names = on;
        return this;
    }

    /** @return rr: reply payload size, or {@link #SAME_AS_REQUEST} */
    public int responseSizeBytes() {
        return responseSizeBytes;
    }

    /**
     * rr: the payload size of every reply.
     *
     * @param bytes 0 or more, or {@link #SAME_AS_REQUEST} to echo the request frame
     * @return this
     */
    public ProtocolOptions responseSizeBytes(final int bytes) {
        if (bytes < 0 && bytes != SAME_AS_REQUEST) {
            throw new IllegalArgumentException("--response-size must not be negative, got " + bytes);
        }
        this.responseSizeBytes = bytes;
        return this;
    }

    /** @return rr, sockperf: largest frame, header included; larger ones are protocol errors */
    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    /**
     * rr, sockperf: the largest frame, header included. A frame must fit whole in a connection's ring, so
     * the server sets this to the ring capacity.
     *
     * @param bytes at least 16
     * @return this
     */
    public ProtocolOptions maxFrameBytes(final int bytes) {
        if (bytes < 16) {
            throw new IllegalArgumentException("the largest frame must be at least 16 bytes, got " + bytes);
        }
        this.maxFrameBytes = bytes;
        return this;
    }

    /** @return http: the largest request head (request line and headers) */
    public int maxHeaderBytes() {
        return maxHeaderBytes;
    }

    /**
     * http: a request head larger than this is answered with 431 and the connection closed.
     *
     * @param bytes at least 64
     * @return this
     */
    public ProtocolOptions maxHeaderBytes(final int bytes) {
        if (bytes < 64) {
            throw new IllegalArgumentException("--max-header must be at least 64 bytes, got " + bytes);
        }
        this.maxHeaderBytes = bytes;
        return this;
    }

    /** @return http: the {@code Server} header's value */
    public String serverName() {
        return serverName;
    }

    /**
     * http: the {@code Server} header's value.
     *
     * @param name printable ASCII, no line breaks
     * @return this
     */
    public ProtocolOptions serverName(final String name) {
        for (int i = 0; i < name.length(); i++) {
            final char c = name.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                throw new IllegalArgumentException("server name must be printable ASCII: '" + name + "'");
            }
        }
        if (name.isEmpty()) {
            throw new IllegalArgumentException("server name must not be empty");
        }
        this.serverName = name;
        return this;
    }

    /** @return whether sessions of one protocol instance run on several threads (blocking server models) */
    public boolean sharedAcrossThreads() {
        return sharedAcrossThreads;
    }

    /**
     * Declares that the protocol's sessions will be called from several threads, so state they share (the
     * chat room) must be guarded; the selector loop leaves this off and pays for no lock.
     *
     * @param shared whether sessions run on several threads
     * @return this
     */
    public ProtocolOptions sharedAcrossThreads(final boolean shared) {
        this.sharedAcrossThreads = shared;
        return this;
    }
}
