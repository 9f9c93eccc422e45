package dev.ringside.engine.protocol;

import dev.ringside.engine.buffer.ByteRing;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * One connection's client side of a protocol: writes requests and decodes replies, verifying them, without
 * allocating. One instance per connection, because decoding keeps state across reads.
 */
public interface ClientCodec {
    /** Returned by {@link #decode} when the stream cannot be parsed any further. */
    int MALFORMED = -1;
    /**
     * Returned by {@link #decode} after a reply the server said is the connection's last (HTTP
     * {@code Connection: close}): the caller closes the connection and sends nothing more on it.
     */
    int END_OF_CONNECTION = -2;

    /** @return the largest request this codec writes, in bytes */
    int maxRequestBytes();

    /**
     * Writes one request at offset 0.
     *
     * @param buffer     where
     * @param seq        its sequence number on this connection
     * @param intendedNs when it was meant to be sent
     * @param sentNs     when it is being sent
     * @return its length
     */
    int encode(MutableDirectBuffer buffer, long seq, long intendedNs, long sentNs);

    /**
     * Consumes reply bytes from a stream, reporting each complete reply to the sink.
     *
     * @param inbound bytes received and not yet consumed
     * @param sink    receives each reply
     * @return replies decoded, or {@link #MALFORMED}, or {@link #END_OF_CONNECTION}
     */
    int decode(ByteRing inbound, ReplySink sink);

    /**
     * The server closed the stream: a reply delimited by the close (an HTTP/1.0 body) is complete now.
     *
     * @param sink receives that reply
     * @return whether a reply was completed
     */
    default boolean onEndOfStream(final ReplySink sink) {
        return false;
    }

    /**
     * Decodes one reply datagram.
     *
     * @param buffer holds it at offset 0
     * @param length its length
     * @param sink   receives the reply
     */
    void decodeDatagram(DirectBuffer buffer, int length, ReplySink sink);
}
