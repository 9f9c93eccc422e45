package dev.ringside.engine.model;

import java.util.concurrent.locks.ReentrantLock;

import dev.ringside.engine.protocol.Protocol;

/**
 * How the blocking models call sessions of a protocol whose sessions share state ({@link Protocol#sharesState()}).
 *
 * <p>On the selector loop every session runs on one thread, so a protocol may keep state shared between its
 * sessions (chat's room of members) without locks. On the blocking models each connection has a thread of
 * its own. For a protocol that shares state every session call ({@code onOpen}, {@code onData},
 * {@code onClose}) is made under one lock per server, so that same single-threaded room code runs unchanged:
 * the broadcast policy is the protocol's own, not a second implementation. The lock holds no I/O — a session
 * only appends to rings ({@link BlockingOutbound} is thread-safe and never blocks), and each connection sends
 * its bytes after leaving the lock. Protocols with per-connection state only are called without any lock.
 */
public final class SessionLock {
    private final ReentrantLock lock;

    private SessionLock(final ReentrantLock lock) {
        this.lock = lock;
    }

    /**
     * @param protocol the protocol served
     * @return a lock that serializes session calls when the protocol shares state, else one that does nothing
     */
    public static SessionLock forProtocol(final Protocol protocol) {
        // ReentrantLock, not synchronized: virtual threads park on it without pinning their carrier. Re-entrant
        // because closing a slow chat member makes its session leave, on the publishing thread.
        return new SessionLock(protocol.sharesState() ? new ReentrantLock() : null);
    }

    /** @return whether calls are serialized */
    public boolean isShared() {
        return lock != null;
    }

    /** Enters a session call. */
    void enter() {
        if (lock != null) {
            lock.lock();
        }
    }

    /** Leaves a session call. */
    void exit() {
        if (lock != null) {
            lock.unlock();
        }
    }
}
