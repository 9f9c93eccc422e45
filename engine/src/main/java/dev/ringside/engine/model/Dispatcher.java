package dev.ringside.engine.model;

/**
 * What a blocking model does with an admitted connection: the one place the models differ.
 */
interface Dispatcher {
    /** Starts any threads the model keeps. */
    default void start() {
    }

    /**
     * Hands over an admitted connection; called on the acceptor's thread.
     *
     * @param connection to serve
     */
    void dispatch(BlockingConnection connection);

    /** Shutdown: closes connections that were admitted but are still waiting for a thread. */
    default void closeQueued() {
    }

    /**
     * Shutdown, after every connection has ended: stops the model's own threads.
     *
     * @throws InterruptedException if interrupted while waiting for them
     */
    default void stop() throws InterruptedException {
    }
}
