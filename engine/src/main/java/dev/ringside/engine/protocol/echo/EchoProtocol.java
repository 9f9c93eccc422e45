package dev.ringside.engine.protocol.echo;

import dev.ringside.engine.buffer.ByteRing;
import dev.ringside.engine.protocol.DatagramHandler;
import dev.ringside.engine.protocol.Outbound;
import dev.ringside.engine.protocol.Protocol;
import dev.ringside.engine.protocol.Session;
import dev.ringside.engine.protocol.SessionContext;

/**
 * Sends every byte back as received, over TCP and UDP.
 */
public final class EchoProtocol implements Protocol {
    /** The one session does no per-connection state, so every connection shares it. */
    private static final Session SESSION = EchoProtocol::echo;

    @Override
    public String name() {
        return "echo";
    }

    @Override
    public Session newSession(final SessionContext context) {
        return SESSION;
    }

    @Override
    public DatagramHandler newDatagramHandler(final String localAddress) {
        return (buffer, length, sender) -> length;
    }

    /**
     * Copies as much of the input as the output can take; the rest stays for when output drains.
     *
     * @param inbound the input
     * @param out     the output
     * @return 1 when bytes moved (echo has no frames: a message is one read), else 0
     */
    static int echo(final ByteRing inbound, final Outbound out) {
        final int length = Math.min(inbound.readableBytes(), out.writableBytes());
        if (length == 0) {
            return 0;
        }
        if (out.write(inbound, inbound.readPosition(), length)) {
            inbound.consume(length);
            return 1;
        }
        return 0;
    }
}
