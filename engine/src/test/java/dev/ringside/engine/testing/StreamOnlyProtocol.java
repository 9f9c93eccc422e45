package dev.ringside.engine.testing;

import java.util.function.Function;

import dev.ringside.engine.protocol.DatagramHandler;
import dev.ringside.engine.protocol.Protocol;
import dev.ringside.engine.protocol.Session;
import dev.ringside.engine.protocol.SessionContext;

/**
 * A test protocol that only runs over streams: either one stateless session every connection shares (the shape
 * every flow-control test protocol has) or, through {@link #perConnection}, a session of its own per connection
 * (the generator's fault servers, which count what they have answered), or, through the name-only constructor,
 * sessions a subclass makes itself (a room whose members are inner objects of the protocol). Written once for all.
 */
public abstract class StreamOnlyProtocol implements Protocol {
    private final String name;
    private final Function<SessionContext, Session> sessions;

    /**
     * @param name    the protocol's name
     * @param session the one stateless session every connection shares
     */
    protected StreamOnlyProtocol(final String name, final Session session) {
        this(context -> session, name);
    }

    /**
     * For a subclass that overrides {@link #newSession} (its sessions need the protocol object itself).
     *
     * @param name the protocol's name
     */
    protected StreamOnlyProtocol(final String name) {
        this(context -> {
            throw new IllegalStateException(name + " must override newSession");
        }, name);
    }

    private StreamOnlyProtocol(final Function<SessionContext, Session> sessions, final String name) {
        this.name = name;
        this.sessions = sessions;
    }

    /**
     * @param name     the protocol's name
     * @param sessions makes each connection's session
     * @return a stream-only protocol with a session per connection
     */
    public static Protocol perConnection(final String name, final Function<SessionContext, Session> sessions) {
        return new StreamOnlyProtocol(sessions, name) {
        };
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public Session newSession(final SessionContext context) {
        return sessions.apply(context);
    }

    @Override
    public final DatagramHandler newDatagramHandler(final String localAddress) {
        throw new UnsupportedOperationException(name + " is stream only");
    }

    @Override
    public final boolean supportsDatagrams() {
        return false;
    }
}
