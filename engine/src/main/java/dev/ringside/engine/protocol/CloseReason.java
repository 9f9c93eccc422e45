package dev.ringside.engine.protocol;

/**
 * Why a connection ended. Every close is counted under exactly one reason.
 */
public enum CloseReason {
    /** The peer closed its side cleanly between frames. */
    PEER_CLOSED("closed by peer"),
    /** The peer closed its side with part of a frame still unread. */
    EOF_MID_FRAME("eof mid-frame"),
    /** The peer reset the connection. */
    PEER_RESET("reset by peer"),
    /** Another I/O error on the socket. */
    IO_ERROR("io error"),
    /** The peer sent bytes the protocol cannot parse. */
    PROTOCOL_ERROR("protocol error"),
    /** A frame or line did not fit in the inbound ring or the protocol's limit. */
    FRAME_TOO_LARGE("frame too large"),
    /** No traffic for longer than the idle timeout. */
    IDLE_TIMEOUT("idle timeout"),
    /** A broadcast subscriber could not take more output. */
    SLOW_CONSUMER("slow consumer"),
    /** The session threw an exception. */
    HANDLER_ERROR("handler error"),
    /** The session asked to close after its output was flushed (for example HTTP {@code Connection: close}). */
    LOCAL_CLOSE("closed locally"),
    /** The loop shut down. */
    SHUTDOWN("shutdown"),
    /** An outbound connection was refused. */
    CONNECT_REFUSED("connect refused"),
    /** An outbound connection did not complete in time. */
    CONNECT_TIMEOUT("connect timeout"),
    /** An outbound connection failed for another reason. */
    CONNECT_FAILED("connect failed"),
    /** A frame or request head that had started did not complete within the frame timeout (slowloris). */
    FRAME_TIMEOUT("frame timeout"),
    /** Queued output made no progress for longer than the write timeout (a peer that does not read). */
    WRITE_TIMEOUT("write timeout"),
    /** The pool ran low and this connection held the most stalled memory for the longest. */
    SHED_POOL_LOW("shed, pool low");

    private final String label;

    CloseReason(final String label) {
        this.label = label;
    }

    /** @return a short human-readable description */
    public String label() {
        return label;
    }
}
