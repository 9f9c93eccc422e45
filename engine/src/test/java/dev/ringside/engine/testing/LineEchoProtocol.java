package dev.ringside.engine.testing;

import dev.ringside.engine.buffer.ByteRing;
import dev.ringside.engine.protocol.Outbound;

/**
 * A framed test protocol: echoes complete newline-terminated lines and keeps partial ones, so the engine's
 * frame limits (a line longer than the ring, EOF mid-line) can be exercised.
 */
public final class LineEchoProtocol extends StreamOnlyProtocol {
    /** Creates it. */
    public LineEchoProtocol() {
        super("line-echo", LineEchoProtocol::echoLines);
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
