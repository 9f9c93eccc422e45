package dev.ringside.engine.protocol;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * What is wrong with a reply a {@link ClientCodec} decoded: an error kind of the protocol's own. A protocol
 * package declares its faults as constants ({@link #declare}) and lists them in its {@link ProtocolSpec}
 * ({@code ProtocolSpec.Builder#faults}); the load generator counts each under its {@link #key()} and shows its
 * {@link #label()} in every report, reading them from the registry. So a protocol that brings a new kind of
 * error touches no shared class. {@link #MISMATCH} is the one fault every protocol shares.
 *
 * <p>Faults are compared by identity; each has a small {@link #id()} so the generator can count it in an array
 * on the hot path.
 */
public final class ReplyFault {
    private static final AtomicInteger NEXT_ID = new AtomicInteger();

    /** The reply's bytes differ from what the request implies (payload pattern, sequence number, header). */
    public static final ReplyFault MISMATCH = declare("verification", "verification failed", false);

    private final int id;
    private final String key;
    private final String label;
    private final boolean answers;

    private ReplyFault(final int id, final String key, final String label, final boolean answers) {
        this.id = id;
        this.key = key;
        this.label = label;
        this.answers = answers;
    }

    /**
     * Declares a fault; call once, for a {@code static final} constant of the protocol that reports it.
     *
     * @param key     its key under {@code errors} in JSON and interval logs (camelCase, unique in the registry)
     * @param label   a few words for the text and HTML reports
     * @param answers whether the reply is well formed and answers its request, so its latency is still recorded
     *                (an HTTP status the run does not accept, a server's own error reply); {@code false} when the
     *                reply cannot be trusted as an answer (damaged bytes)
     * @return the fault
     */
    public static ReplyFault declare(final String key, final String label, final boolean answers) {
        if (key == null || !key.matches("[a-z][A-Za-z0-9]*")) {
            throw new IllegalArgumentException("a fault's key is camelCase letters and digits, got " + key);
        }
        return new ReplyFault(NEXT_ID.getAndIncrement(), key, label, answers);
    }

    /** @return a number unique to this fault in this JVM, small and dense (an array index) */
    public int id() {
        return id;
    }

    /** @return its key under {@code errors} in JSON and interval logs */
    public String key() {
        return key;
    }

    /** @return a short human-readable description */
    public String label() {
        return label;
    }

    /** @return whether the reply answers its request (latency recorded) though the request ends as an error */
    public boolean answers() {
        return answers;
    }

    @Override
    public String toString() {
        return key;
    }
}
