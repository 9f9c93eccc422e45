package dev.ringside.engine.protocol.chat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

import dev.ringside.engine.buffer.ByteRing;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Who said what ({@code --names}): the names of one chat room's members, and the lines that carry them. Every
 * forwarded line is stamped with its sender's name, {@code [127.0.0.1:53422] hello}; the name is the member's
 * address until it sends {@code /nick NAME}. The room hears of joins, leaves and new names in lines of its
 * own, which start with {@code * } so they cannot be mistaken for a member's:
 * <pre>
 * * [127.0.0.1:53422] joined                        to the others, when a member joins
 * * you are [127.0.0.1:53422]; /nick NAME to choose a name     to the member who joined
 * * [127.0.0.1:53422] is now [ana]                  to everyone, the renamed member included
 * * /nick refused: [ana] is taken                   to the member who asked, only
 * * [ana] left                                      to those who stay
 * </pre>
 * A name is 1 to {@value #MAX_NAME_BYTES} bytes of UTF-8, printable, without spaces or brackets, and unique in
 * the room (addresses included). {@code /nick} lines are never forwarded.
 *
 * <p>Threading: like the room it writes to, an instance is used by one thread at a time — the selector loop, or
 * a blocking model's threads one at a time under its session lock (chat is a shared-state protocol there).
 * A stamped line is assembled in one scratch buffer and handed to the room as one record, so each member
 * gets the name and the line together; nothing is allocated per line. Lines to one member go through the room too
 * ({@link ChatRoom#send}), so they reach it in order with everything published to it.
 *
 * <p>A member closed as a slow consumer while a line is being delivered leaves at once, but the room is told
 * of it only after that delivery: the room cuts slow members while it makes room for a line, and announcing from
 * inside would publish from within a publish.
 */
final class ChatNames {
    /** Longest name a member may choose, in bytes. */
    static final int MAX_NAME_BYTES = 32;
    /** Longest stamp before a line: a chosen name in brackets and a space (an address is shorter). */
    static final int MAX_STAMP_BYTES = MAX_NAME_BYTES + 3;
    private static final byte[] NICK = "/nick".getBytes(StandardCharsets.US_ASCII);

    private final ChatRoom room;
    private final int maxLineBytes;
    private final Map<String, Name> byName = new HashMap<>();
    private final ArrayDeque<String> pendingLeaves = new ArrayDeque<>();
    private UnsafeBuffer scratch = new UnsafeBuffer(new byte[0]);
    private int publishDepth;

    /** One member's name, held by its session. */
    static final class Name {
        private final ChatMember member;
        private String name;
        /** {@code [name] }, the stamp put before each of the member's lines. */
        private byte[] prefix;

        private Name(final ChatMember member, final String name) {
            this.member = member;
            rename(name);
        }

        private void rename(final String newName) {
            this.name = newName;
            this.prefix = ("[" + newName + "] ").getBytes(StandardCharsets.UTF_8);
        }

        /** @return the name now */
        String name() {
            return name;
        }
    }

    /**
     * Names for one room.
     *
     * @param room         the room the names' lines go to
     * @param maxLineBytes longest member line, newline excluded (sizes the scratch buffer)
     */
    ChatNames(final ChatRoom room, final int maxLineBytes) {
        this.room = room;
        this.maxLineBytes = maxLineBytes;
    }

    /**
     * Puts a member in the room under its address as its name; tells the others, then the member.
     *
     * @param member  a member in no room
     * @param address its {@code host:port}, the name it starts with
     * @return its name, for the session to keep
     */
    Name join(final ChatMember member, final String address) {
        // Two members can share an address only through a proxy; keep names unique even then.
        String name = address;
        for (int n = 2; byName.containsKey(name); n++) {
            name = address + "#" + n;
        }
        final Name joined = new Name(member, name);
        byName.put(name, joined);
        announce("* [" + name + "] joined\n"); // before it joins: to the others only, whatever echo-to-self says
        room.join(member);
        tell(joined, "* you are [" + name + "]; /nick NAME to choose a name\n");
        return joined;
    }

    /**
     * Handles one complete line from a member: {@code /nick} changes its name, anything else goes to the room
     * stamped with it.
     *
     * @param sender   who sent it
     * @param line     ring holding the line
     * @param position position of its first byte
     * @param length   bytes, the newline included
     */
    void onLine(final Name sender, final ByteRing line, final long position, final int length) {
        if (isNick(line, position, length)) {
            nick(sender, line, position, length);
            return;
        }
        final byte[] prefix = sender.prefix;
        final UnsafeBuffer stamped = scratch(prefix.length + length);
        stamped.putBytes(0, prefix);
        line.copyTo(position, stamped, prefix.length, length);
        publish(sender.member, stamped, prefix.length + length);
    }

    /**
     * Takes a member out of the room and tells those who stay; harmless when it already left.
     *
     * @param leaving its name
     */
    void leave(final Name leaving) {
        room.leave(leaving.member);
        if (byName.get(leaving.name) != leaving) {
            return;
        }
        byName.remove(leaving.name);
        if (publishDepth > 0) {
            pendingLeaves.add(leaving.name);
            return;
        }
        announce("* [" + leaving.name + "] left\n");
    }

    private static boolean isNick(final ByteRing line, final long position, final int length) {
        final int content = contentLength(line, position, length);
        if (content < NICK.length || (content > NICK.length && line.getByte(position + NICK.length) != ' ')) {
            return false;
        }
        for (int i = 0; i < NICK.length; i++) {
            if (line.getByte(position + i) != NICK[i]) {
                return false;
            }
        }
        return true;
    }

    /** @return the line's length without its newline and a carriage return before it */
    private static int contentLength(final ByteRing line, final long position, final int length) {
        int content = length - 1;
        if (content > 0 && line.getByte(position + content - 1) == '\r') {
            content--;
        }
        return content;
    }

    private void nick(final Name sender, final ByteRing line, final long position, final int length) {
        final int start = NICK.length + 1;
        final int bytes = contentLength(line, position, length) - start;
        if (bytes <= 0) {
            tell(sender, "* usage: /nick NAME\n");
            return;
        }
        if (bytes > MAX_NAME_BYTES) {
            tell(sender, "* /nick refused: a name is 1 to " + MAX_NAME_BYTES + " bytes, this one is " + bytes + "\n");
            return;
        }
        final byte[] raw = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            raw[i] = line.getByte(position + start + i);
        }
        final String wanted = printableName(raw);
        if (wanted == null) {
            tell(sender, "* /nick refused: a name is printable UTF-8, without spaces or brackets\n");
            return;
        }
        final Name holder = byName.get(wanted);
        if (holder == sender) {
            tell(sender, "* you are [" + wanted + "] already\n");
            return;
        }
        if (holder != null) {
            tell(sender, "* /nick refused: [" + wanted + "] is taken\n");
            return;
        }
        final String old = sender.name;
        byName.remove(old);
        sender.rename(wanted);
        byName.put(wanted, sender);
        announce("* [" + old + "] is now [" + wanted + "]\n");
    }

    /**
     * @param raw a name as sent
     * @return it decoded, or null when it is not valid UTF-8 or holds a control, space, format, unassigned or
     *     bracket character
     */
    static String printableName(final byte[] raw) {
        final String name;
        try {
            name = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
        } catch (final CharacterCodingException ex) {
            return null;
        }
        for (int i = 0; i < name.length(); ) {
            final int c = name.codePointAt(i);
            final int type = Character.getType(c);
            if (Character.isISOControl(c) || Character.isWhitespace(c) || Character.isSpaceChar(c)
                || type == Character.FORMAT || type == Character.UNASSIGNED || type == Character.PRIVATE_USE
                || type == Character.SURROGATE || c == '[' || c == ']') {
                return null;
            }
            i += Character.charCount(c);
        }
        return name;
    }

    /** Sends a line of the server's to every member of the room. */
    private void announce(final String text) {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        final UnsafeBuffer buffer = scratch(bytes.length);
        buffer.putBytes(0, bytes);
        publish(null, buffer, bytes.length);
    }

    /** Sends a line of the server's to one member, in order with the lines published to it. */
    private void tell(final Name to, final String text) {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        publishDepth++; // making room for it may cut slow members, whose leaving is announced after it
        try {
            room.send(to.member, new UnsafeBuffer(bytes), 0, bytes.length);
        } finally {
            publishDepth--;
        }
        announcePendingLeaves();
    }

    private void publish(final ChatMember sender, final UnsafeBuffer line, final int length) {
        publishDepth++;
        try {
            room.publish(sender, line, 0, length);
        } finally {
            publishDepth--;
        }
        announcePendingLeaves();
    }

    private void announcePendingLeaves() {
        while (publishDepth == 0 && !pendingLeaves.isEmpty()) {
            announce("* [" + pendingLeaves.poll() + "] left\n");
        }
    }

    private UnsafeBuffer scratch(final int length) {
        if (scratch.capacity() < length) {
            // Grows on the first line or announcement of a new size only: longest prefix plus longest line.
            scratch = new UnsafeBuffer(new byte[Math.max(length, MAX_STAMP_BYTES + maxLineBytes + 1)]);
        }
        return scratch;
    }
}
