package dev.ringside.engine.model;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ringside.engine.buffer.ByteRing;
import dev.ringside.engine.protocol.CloseReason;
import dev.ringside.engine.protocol.Outbound;
import dev.ringside.engine.protocol.Session;
import dev.ringside.engine.protocol.SessionContext;
import dev.ringside.engine.testing.StreamOnlyProtocol;

/**
 * A stand-in for the chat protocol (being written on the protocols branch) with the wire contract and policy
 * of issue 3: every complete line goes to every other member of one room; a member whose output cannot take
 * a line is disconnected as a slow consumer. It {@linkplain #sharesState() shares state}, so the blocking models
 * serialize its sessions ({@link SessionLock}) as they do chat's.
 *
 * <p>Its room is deliberately single-threaded, as a selector-loop protocol may be: a plain list, no locks.
 * It counts how many threads are inside it at once; more than one means session calls were not serialized.
 */
final class LineRoomProtocol extends StreamOnlyProtocol {
    private final List<Outbound> members = new ArrayList<>();
    private final AtomicInteger inside = new AtomicInteger();
    private final AtomicInteger overlaps = new AtomicInteger();
    private final AtomicInteger joined = new AtomicInteger();
    /** Re-entry on one thread is fine (on the loop, closing a member calls its onClose at once). */
    private final ThreadLocal<int[]> depth = ThreadLocal.withInitial(() -> new int[1]);

    LineRoomProtocol() {
        super("chat");
    }

    @Override
    public boolean sharesState() {
        return true;
    }

    @Override
    public Session newSession(final SessionContext context) {
        return new Member();
    }

    /** @return members in the room now */
    int members() {
        return joined.get();
    }

    /** @return how often two threads were inside the room at once */
    int overlaps() {
        return overlaps.get();
    }

    private void enter() {
        if (depth.get()[0]++ == 0 && inside.incrementAndGet() > 1) {
            overlaps.incrementAndGet();
        }
    }

    private void exit() {
        if (--depth.get()[0] == 0) {
            inside.decrementAndGet();
        }
    }

    /** One member of the room. */
    private final class Member implements Session {
        private Outbound self;

        @Override
        public void onOpen(final Outbound out) {
            enter();
            self = out;
            members.add(out);
            joined.incrementAndGet();
            exit();
        }

        @Override
        public int onData(final ByteRing inbound, final Outbound out) {
            enter();
            try {
                int lines = 0;
                long newline;
                while ((newline = inbound.indexOf((byte) '\n', inbound.readPosition())) >= 0) {
                    final int length = (int) (newline - inbound.readPosition()) + 1;
                    // Index loop: a slow member's close removes it from the list while we broadcast.
                    for (int i = members.size() - 1; i >= 0; i--) {
                        final Outbound member = members.get(i);
                        if (member != self && !member.write(inbound, inbound.readPosition(), length)) {
                            member.close(CloseReason.SLOW_CONSUMER);
                            members.remove(member);
                        }
                    }
                    inbound.consume(length);
                    lines++;
                }
                return lines;
            } finally {
                exit();
            }
        }

        @Override
        public void onClose(final CloseReason reason) {
            enter();
            members.remove(self);
            joined.decrementAndGet();
            exit();
        }
    }
}
