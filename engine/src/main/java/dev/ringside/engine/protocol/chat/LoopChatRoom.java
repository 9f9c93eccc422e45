package dev.ringside.engine.protocol.chat;

import java.util.Arrays;

import dev.ringside.engine.buffer.BroadcastReader;
import dev.ringside.engine.buffer.BroadcastRing;
import dev.ringside.engine.buffer.ByteRing;
import dev.ringside.engine.protocol.CloseReason;
import dev.ringside.engine.protocol.Outbound;
import org.agrona.DirectBuffer;

/**
 * A chat room over one {@link BroadcastRing}: a line is written into the ring once, and every member's
 * connection sends it from there ({@link Outbound#follow}); see the package comment for the design and why.
 *
 * <p>Used by one thread at a time (the selector loop that serves all its members, or a blocking model's threads
 * one at a time under its session lock: see {@link ChatProtocol#sharesState()}): no locks, no allocation per
 * line. Members live in an array; leaving swaps the last member into the hole, so join and leave are O(1).
 *
 * <p><b>Room in the ring.</b> {@code tail} is a lower bound of every member's position, so a line that fits
 * between it and the head is written at once. When it does not, the room asks every member that is in the way
 * to catch up ({@link Outbound#catchUp()}: pass over what is not for it, and on the loop send what its socket
 * takes now); a member still more than the ring's capacity behind is a slow consumer, closed and counted. That
 * is the only way to be one.
 *
 * <p>A member that leaves while a delivery is under way (closed as a slow consumer, or by an error found while
 * catching up) only leaves a hole, compacted when the delivery ends, so the walk over the array is never
 * reshuffled.
 */
public final class LoopChatRoom implements ChatRoom {
    /** Ring capacity when none is given: the default connection ring (64 KiB) sixteen times. */
    public static final int DEFAULT_CAPACITY_BYTES = 1 << 20;
    private static final int INITIAL_CAPACITY = 16;

    private final boolean echoSelf;
    private final BroadcastRing ring;
    private ChatMember[] members = new ChatMember[INITIAL_CAPACITY];
    private int count;
    private int holes;
    private boolean publishing;
    /** No member is behind this position; refreshed when a line does not fit. */
    private long tail;

    /**
     * Creates an empty room with a ring of {@link #DEFAULT_CAPACITY_BYTES}.
     *
     * @param echoSelf whether a sender receives its own lines
     */
    public LoopChatRoom(final boolean echoSelf) {
        this(echoSelf, DEFAULT_CAPACITY_BYTES);
    }

    /**
     * Creates an empty room.
     *
     * @param echoSelf      whether a sender receives its own lines
     * @param capacityBytes the ring's capacity, a power of two: how far a member may fall behind
     */
    public LoopChatRoom(final boolean echoSelf, final int capacityBytes) {
        this.echoSelf = echoSelf;
        this.ring = new BroadcastRing(capacityBytes);
    }

    @Override
    public int maxLineBytes() {
        return ring.maxPayloadBytes();
    }

    /** @return the ring's capacity: how far a member may fall behind */
    public int capacityBytes() {
        return ring.capacity();
    }

    @Override
    public void join(final ChatMember member) {
        if (member.inRoom()) {
            throw new IllegalStateException("member is already in a room");
        }
        if (count == members.length) {
            members = Arrays.copyOf(members, count * 2);
        }
        final BroadcastReader reader = ring.newReader();
        member.reader = reader;
        member.outbound().follow(reader);
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
        // Its connection is closed or closing; if it still sends, it sends only what it holds now.
        member.reader.endAtHead();
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
        return deliver(addressFrom(sender), sender, line, position, null, 0, length);
    }

    @Override
    public int publish(final ChatMember sender, final DirectBuffer line, final int offset, final int length) {
        return deliver(addressFrom(sender), sender, null, 0, line, offset, length);
    }

    @Override
    public boolean send(final ChatMember to, final DirectBuffer line, final int offset, final int length) {
        if (!to.inRoom()) {
            return false;
        }
        return deliver(to.reader.id(), null, null, 0, line, offset, length) == 1;
    }

    private int addressFrom(final ChatMember sender) {
        return sender == null || echoSelf ? BroadcastRing.TO_ALL : BroadcastRing.allBut(sender.reader.id());
    }

    /** Writes a line held in {@code src} at {@code position}, or else in {@code buffer} at {@code offset}, once. */
    private int deliver(final int address, final ChatMember sender, final ByteRing src, final long position,
        final DirectBuffer buffer, final int offset, final int length) {
        if (length > ring.maxPayloadBytes()) {
            throw new IllegalArgumentException("a chat line of " + length + " bytes does not fit a room of "
                + ring.capacity() + " bytes (at most " + ring.maxPayloadBytes() + ")");
        }
        int delivered = 0;
        publishing = true;
        try {
            makeRoom(ring.spaceNeeded(length));
            if (sender != null && !sender.inRoom()) {
                // The sender itself was too far behind and is gone, its input ring with it: its line goes too.
                return 0;
            }
            if (src != null) {
                ring.append(address, src, position, length);
            } else {
                ring.append(address, buffer, offset, length);
            }
            for (int i = 0; i < count; i++) {
                final ChatMember member = members[i];
                if (member != null && member.reader.reads(address) && member.outbound().isOpen()) {
                    member.outbound().onBroadcast();
                    delivered++;
                }
            }
        } finally {
            publishing = false;
            if (holes > 0) {
                compact();
            }
        }
        return delivered;
    }

    /**
     * Makes {@code bytes} free at the head: members in the way catch up, and those still more than the ring's
     * capacity behind are cut. Cutting closes the member at once, before its bytes are overwritten; on a
     * blocking model {@link Outbound#close} returns only once no send from the ring is in flight for it.
     */
    private void makeRoom(final int bytes) {
        final long floor = ring.head() + bytes - ring.capacity();
        if (tail >= floor) {
            return;
        }
        long oldest = ring.head();
        for (int i = 0; i < count; i++) {
            final ChatMember member = members[i];
            if (member == null) {
                continue;
            }
            long at = member.reader.position();
            if (at < floor) {
                at = member.outbound().catchUp();
                if (members[i] != member) {
                    continue; // closed while catching up (a write error): it has left
                }
                if (at < floor) {
                    member.outbound().close(CloseReason.SLOW_CONSUMER);
                    leave(member); // on the loop closing has made it leave already; harmless then
                    continue;
                }
            }
            oldest = Math.min(oldest, at);
        }
        tail = oldest;
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
