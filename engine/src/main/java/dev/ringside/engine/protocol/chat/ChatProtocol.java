package dev.ringside.engine.protocol.chat;

import dev.ringside.engine.protocol.DatagramHandler;
import dev.ringside.engine.protocol.Protocol;
import dev.ringside.engine.protocol.Session;
import dev.ringside.engine.protocol.SessionContext;

/**
 * {@code chat}: the broadcast server. Members send newline-terminated lines; every complete line goes to
 * every other member of the one room (and to the sender with echo-to-self), in the order the server
 * received the lines. Over-long lines and slow members are closed one by one; the room carries on.
 * Stream-only: a room of datagram senders has no membership.
 */
public final class ChatProtocol implements Protocol {
    private final ChatRoom room;
    private final int maxLineBytes;
    /** With {@code --names}: who said what; null without. */
    private final ChatNames names;

    /**
     * A chat over a room. The room is not thread-safe: {@link #sharesState()} makes every host call this
     * protocol's sessions one at a time (one loop, or one lock on the blocking models).
     *
     * @param room         the room every session joins
     * @param maxLineBytes longest line accepted, newline excluded
     */
    public ChatProtocol(final ChatRoom room, final int maxLineBytes) {
        this(room, maxLineBytes, false);
    }

    /**
     * A chat over a given room, with or without names.
     *
     * @param room         the room every session joins
     * @param maxLineBytes longest line accepted, newline excluded
     * @param names        whether lines carry their sender's name and joins, leaves and {@code /nick} are
     *                     announced ({@link ChatNames})
     */
    public ChatProtocol(final ChatRoom room, final int maxLineBytes, final boolean names) {
        if (maxLineBytes < 1) {
            throw new IllegalArgumentException("the longest chat line must be at least 1 byte, got " + maxLineBytes);
        }
        final int longest = maxLineBytes + 1 + (names ? ChatNames.MAX_STAMP_BYTES : 0);
        if (longest > room.maxLineBytes()) {
            throw new IllegalArgumentException("lines of " + maxLineBytes + " bytes" + (names ? " with names" : "")
                + " do not fit the room (at most " + room.maxLineBytes() + " bytes, a quarter of its ring); "
                + "raise --room-capacity or lower --max-line");
        }
        this.room = room;
        this.maxLineBytes = maxLineBytes;
        this.names = names ? new ChatNames(room, maxLineBytes) : null;
    }

    @Override
    public String name() {
        return "chat";
    }

    @Override
    public Session newSession(final SessionContext context) {
        return new ChatSession(room, maxLineBytes, names, names == null ? null : context.remoteAddress());
    }

    @Override
    public DatagramHandler newDatagramHandler(final String localAddress) {
        throw new UnsupportedOperationException("chat has no datagram form");
    }

    @Override
    public boolean supportsDatagrams() {
        return false;
    }

    /** A member is sent its room's broadcast ring; the session never writes to its connection itself. */
    @Override
    public boolean writesOwnOutput() {
        return false;
    }

    @Override
    public boolean sharesState() {
        return true;
    }

    /** @return the room (for tests and statistics) */
    public ChatRoom room() {
        return room;
    }
}
