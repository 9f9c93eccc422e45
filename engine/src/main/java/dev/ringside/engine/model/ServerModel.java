package dev.ringside.engine.model;

import java.util.Locale;

/**
 * How a server turns connections into work: the designs users compare with {@code ringside server --model}.
 * Every model serves the same protocol sessions.
 */
public enum ServerModel {
    /** Blocking accept; one client is served to end of stream, the rest wait in the kernel's backlog. */
    ITERATIVE("one client at a time, to EOF; the rest wait in the listen backlog"),
    /** A new platform thread per connection. */
    THREAD("a platform thread per connection"),
    /** A fixed pool of threads; connections beyond it wait in a queue, counted. */
    POOL("a fixed pool of --threads N; connections beyond N are accepted and queue"),
    /** A virtual thread per connection (JDK 21 or newer, detected at run time). */
    VIRTUAL("a virtual thread per connection (JDK 21+)"),
    /** Worker processes sharing the port with {@code SO_REUSEPORT}, each a thread-per-connection server. */
    PROCESS("--workers N child JVMs sharing the port (SO_REUSEPORT), each a thread per connection"),
    /** The engine: one non-blocking selector loop. */
    SELECTOR("one non-blocking selector loop (the engine)"),
    /** Several selector loops sharing the port with {@code SO_REUSEPORT}. */
    MULTI("--loops N selector loops sharing the port (SO_REUSEPORT)");

    private final String description;

    ServerModel(final String description) {
        this.description = description;
    }

    /**
     * Parses the name users type, in any case.
     *
     * @param name e.g. {@code pool}
     * @return the model
     * @throws IllegalArgumentException naming the known models
     */
    public static ServerModel parse(final String name) {
        for (final ServerModel model : values()) {
            if (model.label().equalsIgnoreCase(name.trim())) {
                return model;
            }
        }
        final StringBuilder known = new StringBuilder();
        for (final ServerModel model : values()) {
            known.append(known.length() == 0 ? "" : ", ").append(model.label());
        }
        throw new IllegalArgumentException("unknown model '" + name + "' (known: " + known + ")");
    }

    /** @return the name users type */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return one line for help text */
    public String description() {
        return description;
    }

    /** @return whether the model serves each connection with blocking I/O on a thread of its own */
    public boolean isBlocking() {
        return this == ITERATIVE || this == THREAD || this == POOL || this == VIRTUAL;
    }

    /** @return whether the model is the engine's selector loop (one or several) */
    public boolean isSelector() {
        return this == SELECTOR || this == MULTI;
    }
}
