package dev.ringside.engine.testing;

import dev.ringside.engine.protocol.DatagramHandler;
import dev.ringside.engine.protocol.Protocol;
import dev.ringside.engine.protocol.Session;
import dev.ringside.engine.protocol.SessionContext;

/**
 * A test protocol that only runs over streams and whose sessions are one stateless function: the shape every
 * flow-control test protocol shares, written once.
 */
public abstract class StreamOnlyProtocol implements Protocol {
    private final String name;
    private final Session session;

    /**
     * @param name    the protocol's name
     * @param session the one stateless session every connection shares
     */
    protected StreamOnlyProtocol(final String name, final Session session) {
        this.name = name;
        this.session = session;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Session newSession(final SessionContext context) {
        return session;
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
