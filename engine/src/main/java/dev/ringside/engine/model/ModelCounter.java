package dev.ringside.engine.model;

/**
 * Counters only the blocking and process models keep, beside the engine's own. Type ids 50-59 are reserved
 * for them, stable across releases like {@link dev.ringside.engine.counter.EngineCounter}'s.
 */
public enum ModelCounter {
    /** Accepted connections waiting for a pool thread now (a gauge): the pool's starvation made visible. */
    CONNECTIONS_QUEUED(50, "connections queued for a pool thread"),
    /** Connections that, when accepted, found every pool thread busy. */
    CONNECTIONS_WAITED(51, "connections that waited for a pool thread"),
    /** Threads serving a connection now (a gauge). */
    THREADS_SERVING(52, "threads serving a connection"),
    /** Extra threads sending output that other connections' sessions wrote (chat broadcast; a gauge). */
    WRITER_THREADS(53, "writer threads (cross-connection output)"),
    /** Worker processes alive now (a gauge; process model). */
    WORKER_PROCESSES(54, "worker processes running");

    private final int id;
    private final String label;

    ModelCounter(final int id, final String label) {
        this.id = id;
        this.label = label;
    }

    /** @return stable type id */
    public int id() {
        return id;
    }

    /** @return human-readable label */
    public String label() {
        return label;
    }
}
