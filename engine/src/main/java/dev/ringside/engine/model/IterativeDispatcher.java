package dev.ringside.engine.model;

/**
 * The iterative server: the acceptor's own thread serves each connection to its end before it accepts the
 * next, so later clients wait in the kernel's listen backlog (visible with {@code ss -ltn}, column Recv-Q).
 */
final class IterativeDispatcher implements Dispatcher {
    @Override
    public void dispatch(final BlockingConnection connection) {
        connection.serve();
    }
}
