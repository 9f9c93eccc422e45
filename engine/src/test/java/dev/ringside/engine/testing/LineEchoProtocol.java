package dev.ringside.engine.testing;

import dev.ringside.engine.buffer.ByteRing;
import dev.ringside.engine.protocol.DatagramHandler;
import dev.ringside.engine.protocol.Outbound;
import dev.ringside.engine.protocol.Protocol;
import dev.ringside.engine.protocol.Session;
import dev.ringside.engine.protocol.SessionContext;

/**
 * A framed test protocol: echoes complete newline-terminated lines and keeps partial ones, so the engine's
 * frame limits (a line longer than the ring, EOF mid-line) can be exercised.
 */
public final class LineEchoProtocol implements Protocol {
    @Override
    public String name() {
        return "line-echo";
    }

    @Override
    public Session newSession(final SessionContext context) {
        return LineEchoProtocol::echoLines;
    }

    @Override
    public DatagramHandler newDatagramHandler(final String localAddress) {
        throw new UnsupportedOperationException("stream only");
    }

    @Override
    public boolean supportsDatagrams() {
        return false;
    }

    private static int echoLines(final ByteRing inbound, final Outbound out) {
        int lines = 0;
        while (true) {
            final long newline = inbound.indexOf((byte) '\n', inbound.readPosition());
            if (newline < 0) {
                return lines;
            }
            final int length = (int) (newline - inbound.readPosition()) + 1;
            if (!out.write(inbound, inbound.readPosition(), length)) {
                return lines;
            }
            inbound.consume(length);
            lines++;
        }
    }
}
