package dev.ringside.engine.model;

import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * THE CHAT SEAM: how the blocking models call sessions of protocols whose sessions share state.
 *
 * <p>On the selector loop every session runs on one thread, so a protocol may keep state shared between its
 * sessions (chat's room of members) without locks. On the blocking models each connection has a thread of
 * its own. For the protocols named in {@link #SHARED_STATE_PROTOCOLS} every session call ({@code onOpen},
 * {@code onData}, {@code onClose}) is made under one lock per server, so that same single-threaded room code
 * runs unchanged: the broadcast policy is the protocol's own, not a second implementation. The lock holds no
 * I/O — a session only appends to rings ({@link BlockingOutbound} is thread-safe and never blocks), and each
 * connection sends its bytes after leaving the lock.
 *
 * <p>Protocols not named here (echo, discard, rr, http: per-connection state only) are called without any
 * lock. When the chat protocol from the protocols branch is merged it is picked up by its name, {@code chat};
 * a future protocol with shared state adds its name here.
 */
public final class SessionLock {
    /** Protocols whose sessions share state and are therefore called one at a time. */
    public static final Set<String> SHARED_STATE_PROTOCOLS = Set.of("chat");

    private final ReentrantLock lock;

    private SessionLock(final ReentrantLock lock) {
        this.lock = lock;
    }

    /**
     * @param protocolName the protocol served
     * @return a lock that serializes session calls when the protocol shares state, else one that does nothing
     */
    public static SessionLock forProtocol(final String protocolName) {
        // ReentrantLock, not synchronized: virtual threads park on it without pinning their carrier.
        return new SessionLock(isShared(protocolName) ? new ReentrantLock() : null);
    }

    /**
     * @param protocolName a protocol name
     * @return whether its sessions share state
     */
    public static boolean isShared(final String protocolName) {
        return SHARED_STATE_PROTOCOLS.contains(protocolName);
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
