package dev.ringside.engine.protocol.chat;

import static dev.ringside.engine.testing.Feeder.ascii;
import static dev.ringside.engine.testing.Feeder.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import dev.ringside.engine.protocol.CloseReason;
import dev.ringside.engine.protocol.Session;
import dev.ringside.engine.testing.Feeder;
import dev.ringside.engine.testing.RecordingOutbound;
import org.junit.jupiter.api.Test;

class ChatProtocolTest {
    /** A room with listening members, plus the sender session the feeder drives. */
    private static final class Room {
        final ChatProtocol protocol;
        final List<RecordingOutbound> listeners = new ArrayList<>();

        Room(final boolean echoSelf, final int maxLineBytes, final int... listenerCapacities) {
            this(LoopChatRoom.DEFAULT_CAPACITY_BYTES, echoSelf, maxLineBytes, listenerCapacities);
        }

        Room(final int roomBytes, final boolean echoSelf, final int maxLineBytes, final int... listenerCapacities) {
            protocol = new ChatProtocol(new LoopChatRoom(echoSelf, roomBytes), maxLineBytes);
            for (final int capacity : listenerCapacities) {
                final Session session = protocol.newSession(null);
                final RecordingOutbound out = new RecordingOutbound(capacity).owner(session);
                session.onOpen(out);
                listeners.add(out);
            }
        }

        Feeder.Subject sender(final int capacity) {
            return new Feeder.Subject(protocol.newSession(null), new RecordingOutbound(capacity));
        }
    }

    @Test
    void shouldDeliverEveryCompleteLineToEveryOtherMemberAtEverySplit() {
        final byte[] input = ascii("hello\nworld\r\n\nlast line\npartial");
        final List<Room> rooms = new ArrayList<>();
        Feeder.everySplit(() -> {
            final Room room = new Room(false, Chat.DEFAULT_MAX_LINE_BYTES, 4096, 4096);
            rooms.add(room);
            return room.sender(4096);
        }, input, result -> {
            final Room room = rooms.get(rooms.size() - 1);
            assertEquals("", result.outputText(), "no echo to self by default");
            assertEquals(4, result.messages());
            assertEquals("partial", text(result.unconsumed()));
            for (final RecordingOutbound listener : room.listeners) {
                assertEquals("hello\nworld\r\n\nlast line\n", text(listener.drain()));
            }
        });
    }

    @Test
    void shouldEchoToSelfWhenAsked() {
        final Room room = new Room(true, Chat.DEFAULT_MAX_LINE_BYTES, 4096);
        final Feeder.Result result = Feeder.feed(room.sender(4096), ascii("one\ntwo\n"), new int[] {8}, 0);
        assertEquals("one\ntwo\n", result.outputText());
        assertEquals("one\ntwo\n", text(room.listeners.get(0).drain()));
    }

    @Test
    void shouldCloseOnlyTheSenderOfALineLongerThanTheLimitAsSoonAsTheLimitIsPassed() {
        final int maxLineBytes = 8;
        final List<Room> rooms = new ArrayList<>();
        Feeder.everySplit(() -> {
            final Room room = new Room(false, maxLineBytes, 4096);
            rooms.add(room);
            return room.sender(4096);
        }, ascii("12345678\n123456789"), result -> {
            final Room room = rooms.get(rooms.size() - 1);
            assertEquals(CloseReason.FRAME_TOO_LARGE, result.closedWith());
            assertEquals("12345678\n", text(room.listeners.get(0).drain()));
            assertEquals(1, room.protocol.room().memberCount(), "the sender left; the listener stays");
            assertNull(room.listeners.get(0).closedWith());
        });
        Feeder.everySplit(() -> new Room(false, maxLineBytes, 4096).sender(4096), ascii("12345678"),
            result -> assertNull(result.closedWith(), "a line of exactly the limit may still end"));
        Feeder.everySplit(() -> new Room(false, maxLineBytes, 4096).sender(4096), ascii("123456789\n"),
            result -> assertEquals(CloseReason.FRAME_TOO_LARGE, result.closedWith()));
    }

    /** Twenty 8-byte lines: 16 bytes of ring each, so the 17th needs room a 256-byte room has only past them. */
    private static String twentyLines() {
        final StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            lines.append(String.format("line %02d%n", i));
        }
        return lines.toString();
    }

    @Test
    void shouldDisconnectOnlyAMemberThatFallsARingBehindWhileEveryOtherMemberGetsEverything() {
        // Catches a room that overwrites a lagging member's bytes without cutting it (tried: making room without
        // cutting: no SLOW_CONSUMER), and one that cuts members merely behind the head (tried: everyone is cut).
        final Room room = new Room(256, false, 40, 4096, 10, 4096);
        final String lines = twentyLines();
        final Feeder.Result result = Feeder.feed(room.sender(4096), ascii(lines), new int[] {lines.length()}, 0);
        assertEquals(20, result.messages());
        assertEquals(lines, text(room.listeners.get(0).drain()));
        assertEquals(lines.substring(0, 10), text(room.listeners.get(1).drain()), "what its socket took");
        assertEquals(CloseReason.SLOW_CONSUMER, room.listeners.get(1).closedWith());
        assertEquals(lines, text(room.listeners.get(2).drain()));
        assertEquals(3, room.protocol.room().memberCount());
    }

    @Test
    void shouldKeepAMemberThatIsBehindByLessThanTheRing() {
        // The 10-byte listener lags 15 lines, within the room's 256 bytes, and catches up. Catches a room that cuts
        // members behind the head rather than a ring behind it (tried: the listener then gets one line).
        final Room room = new Room(256, false, 40, 4096, 10);
        final String lines = twentyLines().substring(0, 16 * 8);
        Feeder.feed(room.sender(4096), ascii(lines), new int[] {lines.length()}, 0);
        final StringBuilder slow = new StringBuilder();
        for (int i = 0; i < 20 && slow.length() < lines.length(); i++) {
            slow.append(text(room.listeners.get(1).drain()));
        }
        assertEquals(lines, slow.toString());
        assertNull(room.listeners.get(1).closedWith());
    }

    @Test
    void shouldStopTouchingTheRingWhenMakingRoomCutTheSenderItself() {
        // Echoing to itself into a 6-byte output, the sender is the member that falls a ring behind: it is cut while
        // room is made for its own 17th line, whose bytes went back to the pool with its rings, so that line is
        // dropped and the session stops (tried: publishing it anyway, which the listener then receives).
        final Room room = new Room(256, true, 40, 4096);
        final String lines = twentyLines();
        final Feeder.Result result = Feeder.feed(room.sender(6), ascii(lines), new int[] {lines.length()}, 0);
        assertEquals(CloseReason.SLOW_CONSUMER, result.closedWith());
        assertEquals(17, result.messages(), "the 17th line was taken, then its sender found closed");
        assertEquals(lines.substring(0, 16 * 8), text(room.listeners.get(0).drain()));
        assertEquals(1, room.protocol.room().memberCount());
    }

    @Test
    void shouldLoseOnlyTheLeaversPartialLine() {
        final Room room = new Room(false, Chat.DEFAULT_MAX_LINE_BYTES, 4096);
        final Feeder.Subject leaver = room.sender(4096);
        Feeder.feed(leaver, ascii("whole\nhalf a li"), new int[] {15}, 0);
        leaver.session().onClose(CloseReason.EOF_MID_FRAME);
        assertEquals("whole\n", text(room.listeners.get(0).drain()));
        assertEquals(1, room.protocol.room().memberCount());
        final Feeder.Result next = Feeder.feed(room.sender(4096), ascii("next\n"), new int[] {5}, 0);
        assertEquals(1, next.messages());
        assertEquals("next\n", text(room.listeners.get(0).drain()));
    }

    @Test
    void shouldSkipMembersThatAreClosingForOtherReasons() {
        final Room room = new Room(false, Chat.DEFAULT_MAX_LINE_BYTES, 4096, 4096);
        room.listeners.get(0).closeAfterFlush();
        Feeder.feed(room.sender(4096), ascii("x\n"), new int[] {2}, 0);
        assertNull(room.listeners.get(0).closedWith(), "not counted as a slow consumer");
        assertEquals("x\n", text(room.listeners.get(1).drain()));
    }

    @Test
    void shouldDeclareSharedStateSoEveryHostCallsItsSessionsOneAtATime() {
        // The one property Server, the blocking models (SessionLock) and the process model read; a room is not
        // thread-safe, so a chat that said false would be served by several threads at once.
        assertTrue(new ChatProtocol(new LoopChatRoom(false), Chat.DEFAULT_MAX_LINE_BYTES).sharesState());
    }

    @Test
    void shouldRefuseJoiningTwice() {
        final LoopChatRoom room = new LoopChatRoom(false);
        final ChatMember member = new ChatMember(new RecordingOutbound(16));
        room.join(member);
        assertThrows(IllegalStateException.class, () -> room.join(member));
        room.leave(member);
        room.leave(member);
        assertEquals(0, room.memberCount());
    }
}
