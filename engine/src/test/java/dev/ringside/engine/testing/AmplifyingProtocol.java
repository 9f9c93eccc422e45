package dev.ringside.engine.testing;

import java.nio.charset.StandardCharsets;

import dev.ringside.engine.buffer.ByteRing;
import dev.ringside.engine.protocol.Outbound;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A line protocol whose output is much larger, or much smaller, than its input, so a flow-control test can
 * build up output with a few input bytes and then feed input that produces none:
 * {@code "b\n"} answers {@link #BIG_REPLY_BYTES} bytes, {@code "p\n"} answers {@code "pong\n"}, any other line
 * is consumed silently. A line whose answer does not fit is left in the ring, as the {@code Session}
 * contract asks, so the connection waits for its output to drain.
 */
public final class AmplifyingProtocol extends StreamOnlyProtocol {
    /** Bytes answered to each {@code "b\n"}. */
    public static final int BIG_REPLY_BYTES = 1024;

    private static final UnsafeBuffer BIG = new UnsafeBuffer(new byte[BIG_REPLY_BYTES]);
    private static final UnsafeBuffer PONG = new UnsafeBuffer("pong\n".getBytes(StandardCharsets.US_ASCII));

    /** Creates it. */
    public AmplifyingProtocol() {
        super("amplify", AmplifyingProtocol::answerLines);
    }

    private static int answerLines(final ByteRing inbound, final Outbound out) {
        int lines = 0;
        while (true) {
            final long start = inbound.readPosition();
            final long newline = inbound.indexOf((byte) '\n', start);
            if (newline < 0) {
                return lines;
            }
            final int length = (int) (newline - start) + 1;
            final byte command = inbound.getByte(start);
            if (length == 2 && command == 'b' && !out.write(BIG, 0, BIG.capacity())) {
                return lines;
            }
            if (length == 2 && command == 'p' && !out.write(PONG, 0, PONG.capacity())) {
                return lines;
            }
            inbound.consume(length);
            lines++;
        }
    }
}
