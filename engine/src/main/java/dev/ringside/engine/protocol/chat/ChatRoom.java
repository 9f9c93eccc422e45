package dev.ringside.engine.protocol.chat;

import dev.ringside.engine.buffer.ByteRing;
import dev.ringside.engine.protocol.CloseReason;
import org.agrona.DirectBuffer;

/**
 * The members of one chat and the delivery of lines to them. Every line is written to every other member
 * (and to its sender when the room echoes to self) in the order {@link #publish} is called, which is the
 * order the server received the lines. A member whose output cannot take a line is closed with
 * {@link CloseReason#SLOW_CONSUMER}; nobody else misses anything and nothing is queued on its behalf.
 *
 * <p>A room is not thread-safe: its protocol {@linkplain ChatProtocol#sharesState() shares state}, so hosts
 * call its members' sessions one at a time.
 */
public interface ChatRoom {
    /**
     * Adds a member.
     *
     * @param member a member in no room
     */
    void join(ChatMember member);

    /**
     * Removes a member; harmless when it already left.
     *
     * @param member the member
     */
    void leave(ChatMember member);

    /**
     * Delivers one line to the members.
     *
     * @param sender   who sent it (skipped unless the room echoes to self)
     * @param line     ring holding the line
     * @param position position of its first byte
     * @param length   bytes, the terminating newline included
     * @return members that received it
     */
    int publish(ChatMember sender, ByteRing line, long position, int length);

    /**
     * Delivers one line held in a buffer (a line the server composed: a stamped line, an announcement).
     *
     * @param sender who sent it (skipped unless the room echoes to self); null for a line of the server's own,
     *               which goes to every member
     * @param line   buffer holding the line
     * @param offset offset of its first byte
     * @param length bytes, the terminating newline included
     * @return members that received it
     */
    int publish(ChatMember sender, DirectBuffer line, int offset, int length);

    /** @return members now */
    int memberCount();
}
