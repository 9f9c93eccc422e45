package dev.ringside.engine.protocol;


/**
 * Receives what a {@link ClientCodec} decoded: replies to requests, or chat deliveries.
 */
public interface ReplySink {
    /** A sequence number meaning "the oldest request outstanding" (a reply that does not carry one). */
    long OLDEST = -2;
    /** A sequence number meaning "unknown" (the reply is too damaged to say which request it answers). */
    long UNKNOWN = -1;

    /**
     * A complete reply.
     *
     * @param seq   the request it answers, {@link #OLDEST} or {@link #UNKNOWN}
     * @param fault {@code null} when it is correct, else what is wrong with it
     * @return false when decoding must stop (the reply was unsolicited and the connection is being closed)
     */
    boolean onReply(long seq, ReplyFault fault);

    /**
     * The status of the reply about to be reported by {@link #onReply} (HTTP); protocols without one never call it.
     *
     * @param status the status code
     */
    default void onStatus(final int status) {
    }

    /**
     * A complete chat line from a publisher.
     *
     * @param publisher  the publisher's index, or -1 when the line is damaged
     * @param seq        the line's sequence number from that publisher
     * @param intendedNs when the publisher was meant to send it
     * @param sentNs     when it actually sent it
     * @param fault      {@code null} when the line is intact
     */
    void onDelivery(int publisher, long seq, long intendedNs, long sentNs, ReplyFault fault);

    /** A chat line that is not a generator's line (ignored, but counted). */
    void onForeignLine();
}
