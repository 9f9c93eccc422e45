package dev.ringside.engine.protocol;

import java.net.InetSocketAddress;

import org.agrona.MutableDirectBuffer;

/**
 * A protocol's handling of one datagram, done in place: the datagram occupies {@code [0, length)} of
 * {@code buffer}; the handler may rewrite the buffer (up to its capacity) and returns the length of the
 * reply to send back to the sender, or {@link #NO_REPLY}. No I/O happens here.
 */
@FunctionalInterface
public interface DatagramHandler {
    /** Returned when nothing is to be sent back. */
    int NO_REPLY = -1;

    /**
     * Handles one datagram.
     *
     * @param buffer holds the datagram at offset 0; reply bytes are written here too
     * @param length datagram length
     * @param sender who sent it (the JDK caches this object while the sender stays the same)
     * @return reply length, or {@link #NO_REPLY}
     */
    int onDatagram(MutableDirectBuffer buffer, int length, InetSocketAddress sender);
}
