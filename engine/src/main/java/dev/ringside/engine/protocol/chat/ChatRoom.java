package dev.ringside.engine.protocol.chat;

import dev.ringside.engine.buffer.ByteRing;
import dev.ringside.engine.protocol.CloseReason;
import org.agrona.DirectBuffer;

/**
 * The members of one chat and the delivery of lines to them. Every line goes to every other member
 * (and to its sender when the room echoes to self) in the order {@link #publish} is called, which is the
 * order the server received the lines. A member that falls too far behind is closed with
 * {@link CloseReason#SLOW_CONSUMER}; nobody else misses anything.
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
     * @return members it is queued for
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
     * @return members it is queued for
     */
    int publish(ChatMember sender, DirectBuffer line, int offset, int length);

    /**
     * Delivers a line of the server's to one member only (a reply to its {@code /nick}, its welcome), in order with
     * the lines published to it.
     *
     * @param to     the member
     * @param line   buffer holding the line
     * @param offset offset of its first byte
     * @param length bytes, the terminating newline included
     * @return whether the line was queued (false when the member is gone)
     */
    boolean send(ChatMember to, DirectBuffer line, int offset, int length);

    /** @return the longest line, newline and name stamp included, the room can hold */
    int maxLineBytes();

    /** @return members now */
    int memberCount();
}
