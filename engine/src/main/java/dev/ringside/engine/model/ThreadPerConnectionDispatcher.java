package dev.ringside.engine.model;

import java.util.concurrent.ThreadFactory;

/**
 * A new thread for every connection, from a factory of platform threads (the {@code thread} model) or
 * virtual threads (the {@code virtual} model).
 */
final class ThreadPerConnectionDispatcher implements Dispatcher {
    private final ThreadFactory threads;
    private final ConnectionServices services;

    ThreadPerConnectionDispatcher(final ThreadFactory threads, final ConnectionServices services) {
        this.threads = threads;
        this.services = services;
    }

    @Override
    public void dispatch(final BlockingConnection connection) {
        try {
            threads.newThread(connection::serve).start();
        } catch (final OutOfMemoryError ex) {
            // "unable to create native thread": the classic limit of this model. Refuse this connection, say
            // why, and keep accepting; the next one may find a thread.
            services.onHandlerError(new IllegalStateException("cannot start a thread for a connection: " + ex));
            connection.closeUnserved(null);
        }
    }
}
