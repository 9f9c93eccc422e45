package dev.ringside.engine.protocol.chat;

import dev.ringside.engine.buffer.BroadcastReader;
import dev.ringside.engine.protocol.Outbound;

/**
 * One member of a {@link ChatRoom}: where lines for it go. A room keeps its own bookkeeping in the member
 * (its slot, and its reader of the room's broadcast ring while it is in the room), so joining and leaving cost
 * no lookups.
 */
public final class ChatMember {
    /** Slot value of a member that is in no room. */
    static final int NOT_IN_ROOM = -1;

    private final Outbound outbound;
    /** Index in the room's member array; owned by the room. */
    int slot = NOT_IN_ROOM;
    /** Its place in the room's ring; set by the room on joining. */
    BroadcastReader reader;

    /**
     * Creates a member.
     *
     * @param outbound where lines delivered to this member are written
     */
    public ChatMember(final Outbound outbound) {
        if (outbound == null) {
            throw new IllegalArgumentException("a chat member needs an outbound");
        }
        this.outbound = outbound;
    }

    /** @return where lines for this member are written */
    public Outbound outbound() {
        return outbound;
    }

    /** @return whether the member is in a room now */
    public boolean inRoom() {
        return slot != NOT_IN_ROOM;
    }
}
