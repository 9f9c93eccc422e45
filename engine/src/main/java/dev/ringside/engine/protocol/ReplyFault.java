package dev.ringside.engine.protocol;

/**
 * What is wrong with a reply a {@link ClientCodec} decoded. The codec knows only its protocol; the load
 * generator maps each fault to the error kind it counts, so codecs do not depend on the generator.
 */
public enum ReplyFault {
    /** The reply's bytes differ from what the request implies (payload pattern, sequence number, header). */
    MISMATCH,
    /**
     * A well-formed reply whose status the run does not accept (HTTP: a status outside 2xx that
     * {@code --accept-status} does not list). It answers its request, so its latency is still recorded.
     */
    REJECTED_STATUS,
    /**
     * A well-formed reply in which the server reports an error of its own (RESP {@code -ERR ...}, memcached
     * {@code ERROR}, {@code CLIENT_ERROR}, {@code SERVER_ERROR}, {@code NOT_STORED}). It answers its request, so
     * its latency is still recorded.
     */
    ERROR_REPLY
}
