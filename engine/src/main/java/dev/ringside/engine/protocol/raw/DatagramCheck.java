package dev.ringside.engine.protocol.raw;

import org.agrona.DirectBuffer;

/**
 * What a raw reply datagram must be: one datagram is one reply (UDP keeps message boundaries), so
 * {@code --reply-bytes} and {@code --reply-until}, when given, check it rather than frame it: its length must
 * be exactly the reply size, and it must end with the marker.
 *
 * @param replyBytes the exact length, or 0 for any
 * @param replyEnd   the bytes it must end with, or an empty array for any
 */
public record DatagramCheck(int replyBytes, byte[] replyEnd) {
    /** Any datagram is a good reply. */
    public static final DatagramCheck ANY = new DatagramCheck(0, new byte[0]);

    /**
     * @param buffer holds the datagram at offset 0
     * @param length its length
     * @return whether it is a good reply
     */
    public boolean accepts(final DirectBuffer buffer, final int length) {
        if (replyBytes > 0 && length != replyBytes) {
            return false;
        }
        if (length < replyEnd.length) {
            return false;
        }
        final int from = length - replyEnd.length;
        for (int i = 0; i < replyEnd.length; i++) {
            if (buffer.getByte(from + i) != replyEnd[i]) {
                return false;
            }
        }
        return true;
    }
}
