package dev.ringside.engine.model;

import java.util.ArrayList;
import java.util.List;

import dev.ringside.engine.buffer.ByteRing;
import dev.ringside.engine.protocol.CloseReason;
import dev.ringside.engine.protocol.DatagramHandler;
import dev.ringside.engine.protocol.Outbound;
import dev.ringside.engine.protocol.Protocol;
import dev.ringside.engine.protocol.Session;
import dev.ringside.engine.protocol.SessionContext;

/**
 * Wraps a protocol and records, in order, when each session opened and closed and on which thread.
 */
final class RecordingProtocol implements Protocol {
    private final Protocol delegate;
    private final List<Event> events = new ArrayList<>();

    RecordingProtocol(final Protocol delegate) {
        this.delegate = delegate;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public Session newSession(final SessionContext context) {
        final Session session = delegate.newSession(context);
        return new Session() {
            @Override
            public void onOpen(final Outbound out) {
                record(new Event(true, context.connectionId(), Thread.currentThread(), null));
                session.onOpen(out);
            }

            @Override
            public int onData(final ByteRing inbound, final Outbound out) {
                return session.onData(inbound, out);
            }

            @Override
            public void onClose(final CloseReason reason) {
                session.onClose(reason);
                record(new Event(false, context.connectionId(), Thread.currentThread(), reason));
            }
        };
    }

    @Override
    public DatagramHandler newDatagramHandler(final String localAddress) {
        return delegate.newDatagramHandler(localAddress);
    }

    private synchronized void record(final Event event) {
        events.add(event);
    }

    /** @return the events so far, in order */
    synchronized List<Event> events() {
        return new ArrayList<>(events);
    }

    /** A session opened ({@code open}) or closed, on a thread. */
    record Event(boolean open, long connectionId, Thread thread, CloseReason reason) {
        @Override
        public String toString() {
            return (open ? "open " : "close ") + connectionId;
        }
    }
}
