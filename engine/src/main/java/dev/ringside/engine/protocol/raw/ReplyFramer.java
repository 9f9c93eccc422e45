package dev.ringside.engine.protocol.raw;

import dev.ringside.engine.buffer.ByteRing;

/**
 * Finds where each reply ends in a stream of reply bytes, consuming the bytes as it goes and keeping its
 * place in fields, so a reply split across any number of reads (and across the ring's wrap point) is framed
 * the same as one read whole, nothing is held in the ring between reads, and nothing is allocated.
 * One instance per connection.
 */
public interface ReplyFramer {
    /** Every readable byte was consumed and no reply ended in them. */
    int NEED_MORE = 0;
    /** A reply ended; the bytes after it are still readable. */
    int REPLY = 1;
    /** A reply ended and it is the server's report of an error (RESP {@code -ERR}, memcached {@code ERROR}). */
    int ERROR_REPLY = 2;
    /** The bytes are not a reply of this protocol; the stream cannot be framed any further. */
    int MALFORMED = -1;

    /**
     * Consumes bytes up to the end of the next reply, or all readable bytes when it does not end in them.
     *
     * @param inbound reply bytes received and not yet consumed
     * @return {@link #REPLY}, {@link #ERROR_REPLY}, {@link #NEED_MORE} or {@link #MALFORMED}
     */
    int next(ByteRing inbound);
}
