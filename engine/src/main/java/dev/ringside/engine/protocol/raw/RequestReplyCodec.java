package dev.ringside.engine.protocol.raw;

import dev.ringside.engine.buffer.ByteRing;
import dev.ringside.engine.protocol.ClientCodec;
import dev.ringside.engine.protocol.ReplyFault;
import dev.ringside.engine.protocol.ReplySink;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The client side of every protocol whose requests are fixed bytes and whose replies are found by a
 * {@link ReplyFramer}: raw, redis, memcached. Requests go round-robin from a {@link RequestRotation} encoded
 * at start-up; replies carry no sequence number, so each answers the oldest request outstanding (the server
 * answers in order, as Redis and memcached do). A reply the framer calls an error reply is counted as
 * {@link Raw#ERROR_REPLY} with its latency kept; bytes the framer cannot frame close the connection.
 * Over UDP one datagram is one reply, checked against {@link DatagramCheck}.
 */
public final class RequestReplyCodec implements ClientCodec {
    private final RequestRotation requests;
    private final ReplyFramer framer;
    private final DatagramCheck datagramCheck;

    /**
     * @param requests      what to send, shared by every connection
     * @param framer        this connection's framer, or {@code null} when it only receives datagrams
     * @param datagramCheck what a reply datagram must look like
     */
    public RequestReplyCodec(final RequestRotation requests, final ReplyFramer framer,
        final DatagramCheck datagramCheck) {
        this.requests = requests;
        this.framer = framer;
        this.datagramCheck = datagramCheck;
    }

    @Override
    public int maxRequestBytes() {
        return requests.maxRequestBytes();
    }

    @Override
    public int encode(final MutableDirectBuffer buffer, final long seq, final long intendedNs, final long sentNs) {
        return requests.write(buffer, seq);
    }

    @Override
    public int decode(final ByteRing inbound, final ReplySink sink) {
        if (framer == null) {
            throw new IllegalStateException("this codec frames datagrams only");
        }
        int replies = 0;
        while (!inbound.isEmpty()) {
            final int result = framer.next(inbound);
            if (result == ReplyFramer.NEED_MORE) {
                break;
            }
            if (result == ReplyFramer.MALFORMED) {
                return MALFORMED;
            }
            replies++;
            if (!sink.onReply(ReplySink.OLDEST, result == ReplyFramer.ERROR_REPLY ? Raw.ERROR_REPLY : null)) {
                return MALFORMED;
            }
        }
        return replies;
    }

    @Override
    public void decodeDatagram(final DirectBuffer buffer, final int length, final ReplySink sink) {
        sink.onReply(ReplySink.OLDEST, datagramCheck.accepts(buffer, length) ? null : ReplyFault.MISMATCH);
    }
}
