package dev.ringside.engine.loop;

import dev.ringside.engine.protocol.CloseReason;


/**
 * Anything a loop owns and must close on shutdown: listeners, connections, datagram endpoints. The loop
 * keeps them in an array; each remembers its slot so removal is O(1) and allocation-free.
 */
public abstract class LoopResource {
    int resourceIndex = -1;

    /**
     * Closes the resource now; idempotent.
     *
     * @param reason why, for the counters
     */
    public abstract void close(CloseReason reason);

    /**
     * Begins an orderly shutdown. The default closes at once; a connection instead stops reading and
     * closes when its output is flushed (the loop closes whatever is left when the grace period ends).
     */
    public void onShutdown() {
        close(CloseReason.SHUTDOWN);
    }

    /**
     * How strongly this resource deserves to be closed when the ring pool runs low: the memory it holds that is
     * not moving, weighted by how long it has not moved.
     *
     * @param nowNs       the loop's time
     * @param minStallNs  stalls younger than this do not count (a busy connection is not a hoarder)
     * @return 0 when it holds nothing stalled for that long; larger means shed first
     */
    public long shedScore(final long nowNs, final long minStallNs) {
        return 0;
    }

    /** @return whether this resource keeps a graceful shutdown waiting (connections with unsent output) */
    public boolean holdsShutdown() {
        return false;
    }
}
