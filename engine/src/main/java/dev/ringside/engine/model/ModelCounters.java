package dev.ringside.engine.model;

import java.util.HashMap;
import java.util.Map;

import dev.ringside.engine.counter.EngineCounter;
import dev.ringside.engine.protocol.CloseReason;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

/**
 * The counters of one blocking server (or one worker process), with the same type ids and labels as an
 * event loop's {@link dev.ringside.engine.counter.LoopCounters}, so {@code ringside stat} and the final report
 * read them alike.
 *
 * <p>Unlike a loop's counters these have many writers (one thread per connection), so every update is an
 * atomic read-modify-write; in the process model the writers are even in different processes, sharing the
 * memory-mapped counters file. Only the engine counters that a blocking server can produce are allocated.
 */
public final class ModelCounters implements AutoCloseable {
    /** The engine counters a blocking server updates; the loop-only ones (cycles, wake-ups) are left out. */
    private static final EngineCounter[] USED = {
        EngineCounter.CONNECTIONS_OPEN,
        EngineCounter.CONNECTIONS_ACCEPTED,
        EngineCounter.CONNECTIONS_CLOSED,
        EngineCounter.CONNECTIONS_REJECTED,
        EngineCounter.BYTES_IN,
        EngineCounter.BYTES_OUT,
        EngineCounter.MESSAGES_IN,
        EngineCounter.MESSAGES_OUT,
        EngineCounter.DATAGRAMS_IN,
        EngineCounter.DATAGRAMS_OUT,
        EngineCounter.DATAGRAM_BYTES_IN,
        EngineCounter.DATAGRAM_BYTES_OUT,
        EngineCounter.DATAGRAMS_OVERSIZED,
        EngineCounter.ACCEPT_BACKOFFS,
        EngineCounter.HANDLER_ERRORS,
        EngineCounter.RINGS_LEASED,
        EngineCounter.POOL_BYTES_LEASED,
        EngineCounter.DATAGRAM_ERRORS,
        EngineCounter.DATAGRAMS_REFUSED,
    };
    private static final String CLOSED_PREFIX = "closed, ";

    private final AtomicCounter[] engine = new AtomicCounter[EngineCounter.values().length];
    private final AtomicCounter[] model = new AtomicCounter[ModelCounter.values().length];
    private final AtomicCounter[] closeReasons = new AtomicCounter[CloseReason.values().length];

    private ModelCounters() {
    }

    /** @return how many counters one set allocates */
    public static int countersPerSet() {
        return USED.length + ModelCounter.values().length + CloseReason.values().length;
    }

    /**
     * Allocates a set of counters.
     *
     * @param manager where to allocate them
     * @param prefix  label prefix, e.g. {@code thread} or {@code worker-0}
     * @return the counters
     */
    public static ModelCounters allocate(final CountersManager manager, final String prefix) {
        final ModelCounters counters = new ModelCounters();
        for (final EngineCounter counter : USED) {
            counters.engine[counter.ordinal()] = manager.newCounter(prefix + ": " + counter.label(), counter.id());
        }
        for (final ModelCounter counter : ModelCounter.values()) {
            counters.model[counter.ordinal()] = manager.newCounter(prefix + ": " + counter.label(), counter.id());
        }
        for (final CloseReason reason : CloseReason.values()) {
            counters.closeReasons[reason.ordinal()] = manager.newCounter(prefix + ": " + CLOSED_PREFIX + reason.label(),
                EngineCounter.CLOSE_REASON_TYPE_BASE + reason.ordinal());
        }
        return counters;
    }

    /**
     * Attaches to a set another process allocated (a worker writing into its supervisor's counters file).
     *
     * @param reader the counters, mapped read-write
     * @param prefix the set's label prefix
     * @return the counters
     * @throws IllegalStateException when the set is not complete in {@code reader}
     */
    public static ModelCounters attach(final CountersReader reader, final String prefix) {
        final Map<Integer, Integer> idsByType = new HashMap<>();
        final String start = prefix + ": ";
        reader.forEach((value, counterId, label) -> {
            if (label.startsWith(start)) {
                idsByType.put(reader.getCounterTypeId(counterId), counterId);
            }
        });
        final ModelCounters counters = new ModelCounters();
        for (final EngineCounter counter : USED) {
            counters.engine[counter.ordinal()] = find(reader, idsByType, counter.id(), prefix);
        }
        for (final ModelCounter counter : ModelCounter.values()) {
            counters.model[counter.ordinal()] = find(reader, idsByType, counter.id(), prefix);
        }
        for (final CloseReason reason : CloseReason.values()) {
            counters.closeReasons[reason.ordinal()] =
                find(reader, idsByType, EngineCounter.CLOSE_REASON_TYPE_BASE + reason.ordinal(), prefix);
        }
        return counters;
    }

    private static AtomicCounter find(final CountersReader reader, final Map<Integer, Integer> idsByType,
        final int typeId, final String prefix) {
        final Integer counterId = idsByType.get(typeId);
        if (counterId == null) {
            throw new IllegalStateException("counter set '" + prefix + "' lacks type " + typeId);
        }
        return new AtomicCounter(reader.valuesBuffer(), counterId);
    }

    /**
     * Adds to an engine counter.
     *
     * @param counter which (one a blocking server keeps)
     * @param delta   amount, negative for a gauge going down
     */
    public void add(final EngineCounter counter, final long delta) {
        engine[counter.ordinal()].getAndAdd(delta);
    }

    /**
     * Adds one to an engine counter.
     *
     * @param counter which
     */
    public void increment(final EngineCounter counter) {
        engine[counter.ordinal()].increment();
    }

    /**
     * Adds to a model counter.
     *
     * @param counter which
     * @param delta   amount, negative for a gauge going down
     */
    public void add(final ModelCounter counter, final long delta) {
        model[counter.ordinal()].getAndAdd(delta);
    }

    /**
     * Counts one close.
     *
     * @param reason why it closed
     */
    public void closed(final CloseReason reason) {
        closeReasons[reason.ordinal()].increment();
        engine[EngineCounter.CONNECTIONS_CLOSED.ordinal()].increment();
    }

    /**
     * @param counter an engine counter
     * @return its value
     */
    public long get(final EngineCounter counter) {
        return engine[counter.ordinal()].get();
    }

    /**
     * @param counter a model counter
     * @return its value
     */
    public long get(final ModelCounter counter) {
        return model[counter.ordinal()].get();
    }

    /**
     * @param reason a close reason
     * @return closes counted for it
     */
    public long closedBy(final CloseReason reason) {
        return closeReasons[reason.ordinal()].get();
    }

    /** Releases the counters' slots when they were allocated by a manager; attached ones are left. */
    @Override
    public void close() {
        for (final AtomicCounter counter : engine) {
            if (counter != null) {
                counter.close();
            }
        }
        for (final AtomicCounter counter : model) {
            counter.close();
        }
        for (final AtomicCounter counter : closeReasons) {
            counter.close();
        }
    }
}
