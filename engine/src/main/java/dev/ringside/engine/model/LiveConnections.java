package dev.ringside.engine.model;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import dev.ringside.engine.protocol.CloseReason;


/**
 * The connections a blocking server is serving now, so that shutdown can reach every one of them. Once
 * shutdown has begun no connection joins: one arriving late is told to close at once.
 */
final class LiveConnections {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition emptied = lock.newCondition();
    private final HashSet<BlockingConnection> connections = new HashSet<>();
    private boolean shuttingDown;

    /**
     * @param connection one starting to be served
     * @return false when the server is shutting down (the connection must close)
     */
    boolean add(final BlockingConnection connection) {
        lock.lock();
        try {
            if (shuttingDown) {
                return false;
            }
            connections.add(connection);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * @param connection one that has ended
     */
    void remove(final BlockingConnection connection) {
        lock.lock();
        try {
            connections.remove(connection);
            if (connections.isEmpty()) {
                emptied.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Refuses newcomers and asks every connection to finish: stop reading, send what is owed, close. */
    void requestShutdown() {
        for (final BlockingConnection connection : closing()) {
            connection.requestShutdown();
        }
    }

    /**
     * Closes every connection now, discarding unsent output.
     *
     * @param reason counted for each
     */
    void closeAll(final CloseReason reason) {
        for (final BlockingConnection connection : closing()) {
            connection.close(reason);
        }
    }

    /**
     * Waits until no connection is left.
     *
     * @param deadlineNs {@link System#nanoTime()} to give up at
     * @return whether none is left
     * @throws InterruptedException if interrupted
     */
    boolean awaitEmpty(final long deadlineNs) throws InterruptedException {
        lock.lock();
        try {
            while (!connections.isEmpty()) {
                final long remainingNs = deadlineNs - System.nanoTime();
                if (remainingNs <= 0) {
                    return false;
                }
                emptied.await(remainingNs, TimeUnit.NANOSECONDS);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** @return connections being served */
    int size() {
        lock.lock();
        try {
            return connections.size();
        } finally {
            lock.unlock();
        }
    }

    /** Refuses newcomers from now on and lists who is here. */
    private List<BlockingConnection> closing() {
        lock.lock();
        try {
            shuttingDown = true;
            return new ArrayList<>(connections);
        } finally {
            lock.unlock();
        }
    }
}
