package dev.ringside.engine.protocol.chat;

import dev.ringside.engine.buffer.ByteRing;
import dev.ringside.engine.protocol.CloseReason;
import dev.ringside.engine.protocol.Outbound;
import dev.ringside.engine.protocol.Session;

/**
 * One chat member's connection: splits its input into newline-terminated lines and publishes each whole
 * line, newline included and byte for byte, to the room. A partial line stays in the connection's inbound
 * ring until its newline arrives, so a member that leaves mid-line takes only its own fragment with it.
 * A line longer than the limit closes this connection ({@link CloseReason#FRAME_TOO_LARGE}) as soon as the
 * limit is passed, without waiting for its end.
 *
 * <p>With names ({@code --names}) the session hands each line to the room's {@link ChatNames} instead, which
 * stamps it with the sender's name or treats it as a {@code /nick}, and joins and leaves through it so the
 * room hears of them.
 */
final class ChatSession implements Session {
    private static final byte NEWLINE = '\n';

    private final ChatRoom room;
    private final int maxLineBytes;
    /** The room's names with {@code --names}, else null: lines go out as sent. */
    private final ChatNames names;
    private final String address;
    private ChatMember member;
    private ChatNames.Name name;
    /**
     * Bytes after the read position already searched for a newline, so that a line arriving one byte at a
     * time is scanned once, not once per byte. Relative to the read position because the connection may
     * hand back its ring when empty and lease a fresh one whose positions restart at zero.
     */
    private int scannedBytes;

    ChatSession(final ChatRoom room, final int maxLineBytes, final ChatNames names, final String address) {
        this.room = room;
        this.maxLineBytes = maxLineBytes;
        this.names = names;
        this.address = address;
    }

    @Override
    public void onOpen(final Outbound out) {
        member = new ChatMember(out);
        if (names == null) {
            room.join(member);
        } else {
            name = names.join(member, address);
        }
    }

    @Override
    public int onData(final ByteRing inbound, final Outbound out) {
        int lines = 0;
        while (true) {
            final long lineStart = inbound.readPosition();
            final long newline = inbound.indexOf(NEWLINE, lineStart + scannedBytes);
            if (newline < 0) {
                scannedBytes = inbound.readableBytes();
                if (scannedBytes > maxLineBytes) {
                    out.close(CloseReason.FRAME_TOO_LARGE);
                }
                return lines;
            }
            scannedBytes = 0;
            final int contentBytes = (int) (newline - lineStart);
            if (contentBytes > maxLineBytes) {
                out.close(CloseReason.FRAME_TOO_LARGE);
                return lines;
            }
            final int lineBytes = contentBytes + 1;
            if (name == null) {
                room.publish(member, inbound, lineStart, lineBytes);
            } else {
                names.onLine(name, inbound, lineStart, lineBytes);
            }
            lines++;
            if (!out.isOpen()) {
                // Echoing to self found this member's own output full: it was closed and its rings are gone.
                return lines;
            }
            inbound.consume(lineBytes);
        }
    }

    @Override
    public void onClose(final CloseReason reason) {
        if (name != null) {
            names.leave(name);
        } else if (member != null) {
            room.leave(member);
        }
    }
}
