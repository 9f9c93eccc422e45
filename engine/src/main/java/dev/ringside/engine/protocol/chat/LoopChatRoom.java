package dev.ringside.engine.protocol.chat;

import java.util.Arrays;

import dev.ringside.engine.buffer.ByteRing;
import dev.ringside.engine.protocol.CloseReason;
import dev.ringside.engine.protocol.Outbound;
import org.agrona.DirectBuffer;

/**
 * A chat room used by one thread at a time (the selector loop that serves all its members, or a blocking
 * model's threads one at a time under its session lock: see {@link ChatProtocol#sharesState()}): no locks, no
 * allocation per line. Members live in an array; leaving swaps the last member into the hole, so join and leave are
 * O(1).
 *
 * <p>Slow members are collected during a delivery and closed after it, because closing a member makes it
 * leave, and leaving must not reshuffle the array while it is being walked. For the same reason a member
 * that leaves while a delivery is under way (an outbound whose write closed it) only leaves a hole, which
 * is compacted when the delivery ends.
 */
public final class LoopChatRoom implements ChatRoom {
    private static final int INITIAL_CAPACITY = 16;

    private final boolean echoSelf;
    private ChatMember[] members = new ChatMember[INITIAL_CAPACITY];
    private ChatMember[] slow = new ChatMember[INITIAL_CAPACITY];
    private int count;
    private int holes;
    private boolean publishing;

    /**
     * Creates an empty room.
     *
     * @param echoSelf whether a sender receives its own lines
     */
    public LoopChatRoom(final boolean echoSelf) {
        this.echoSelf = echoSelf;
    }

    @Override
    public void join(final ChatMember member) {
        if (member.inRoom()) {
            throw new IllegalStateException("member is already in a room");
        }
        if (count == members.length) {
            members = Arrays.copyOf(members, count * 2);
            slow = new ChatMember[members.length];
        }
        member.slot = count;
        members[count++] = member;
    }

    @Override
    public void leave(final ChatMember member) {
        final int slot = member.slot;
        if (slot == ChatMember.NOT_IN_ROOM) {
            return;
        }
        member.slot = ChatMember.NOT_IN_ROOM;
        if (publishing) {
            members[slot] = null;
            holes++;
            return;
        }
        final int last = --count;
        if (slot != last) {
            final ChatMember moved = members[last];
            members[slot] = moved;
            moved.slot = slot;
        }
        members[last] = null;
    }

    @Override
    public int publish(final ChatMember sender, final ByteRing line, final long position, final int length) {
        return deliver(sender, line, position, null, 0, length);
    }

    @Override
    public int publish(final ChatMember sender, final DirectBuffer line, final int offset, final int length) {
        return deliver(sender, null, 0, line, offset, length);
    }

    /** Delivers a line held in {@code ring} at {@code position}, or else in {@code buffer} at {@code offset}. */
    private int deliver(final ChatMember sender, final ByteRing ring, final long position, final DirectBuffer buffer,
                        final int offset, final int length) {
        int delivered = 0;
        int slowCount = 0;
        publishing = true;
        try {
            for (int i = 0; i < count; i++) {
                final ChatMember member = members[i];
                if (member == null || (member == sender && !echoSelf)) {
                    continue;
                }
                final Outbound out = member.outbound();
                if (!out.isOpen()) {
                    continue; // closing for its own reasons (shutdown, peer gone): not a slow consumer
                }
                if (ring != null ? out.write(ring, position, length) : out.write(buffer, offset, length)) {
                    delivered++;
                } else {
                    slow[slowCount++] = member;
                }
            }
        } finally {
            publishing = false;
            if (holes > 0) {
                compact();
            }
        }
        for (int i = 0; i < slowCount; i++) {
            final ChatMember member = slow[i];
            slow[i] = null;
            // Closing makes the member's session leave the room; that is safe now the walk is over.
            member.outbound().close(CloseReason.SLOW_CONSUMER);
            leave(member);
        }
        return delivered;
    }

    @Override
    public int memberCount() {
        return count - holes;
    }

    private void compact() {
        int to = 0;
        for (int from = 0; from < count; from++) {
            final ChatMember member = members[from];
            if (member != null) {
                members[to] = member;
                member.slot = to;
                to++;
            }
        }
        Arrays.fill(members, to, count, null);
        count = to;
        holes = 0;
    }
}
