package dev.ringside.engine.protocol;

import java.util.concurrent.locks.ReentrantLock;

import dev.ringside.engine.buffer.ByteRing;
import org.agrona.DirectBuffer;

/**
 * A chat room shared by many threads, as in the blocking server models where each member is served by its
 * own thread: every operation holds one lock, so lines reach all members in one global order, the order in
 * which senders took the lock. The lock is re-entrant because closing a slow member makes its session
 * leave, possibly on the publishing thread.
 *
 * <p>Members' outbounds are written and closed by whichever thread publishes, so they must tolerate that
 * (a blocking model's outbound buffers the bytes for the member's own writer).
 */
public final class LockedChatRoom implements ChatRoom {
    private final ReentrantLock lock = new ReentrantLock();
    private final LoopChatRoom room;

    /**
     * Creates an empty room.
     *
     * @param echoSelf whether a sender receives its own lines
     */
    public LockedChatRoom(final boolean echoSelf) {
        // The lock, not a thread, owns the inner room.
        this.room = new LoopChatRoom(echoSelf, false);
    }

    @Override
    public void join(final ChatMember member) {
        lock.lock();
        try {
            room.join(member);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void leave(final ChatMember member) {
        lock.lock();
        try {
            room.leave(member);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int publish(final ChatMember sender, final ByteRing line, final long position, final int length) {
        lock.lock();
        try {
            return room.publish(sender, line, position, length);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int publish(final ChatMember sender, final DirectBuffer line, final int offset, final int length) {
        lock.lock();
        try {
            return room.publish(sender, line, offset, length);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int memberCount() {
        lock.lock();
        try {
            return room.memberCount();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isThreadSafe() {
        return true;
    }
}
