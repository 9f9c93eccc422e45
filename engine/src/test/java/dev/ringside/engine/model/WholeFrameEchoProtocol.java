package dev.ringside.engine.model;

import dev.ringside.engine.buffer.ByteRing;
import dev.ringside.engine.protocol.Outbound;
import dev.ringside.engine.testing.StreamOnlyProtocol;

/**
 * Frames of a 4-byte big-endian length and a body, echoed only once whole: a session that leaves input
 * unconsumed until a frame is complete, to exercise the frame-too-large and end-of-stream-mid-frame paths.
 * A frame with a negative length makes the session throw (the handler-error path).
 */
final class WholeFrameEchoProtocol extends StreamOnlyProtocol {
    WholeFrameEchoProtocol() {
        super("whole-frame-echo", WholeFrameEchoProtocol::onData);
    }

    private static int onData(final ByteRing inbound, final Outbound out) {
        int frames = 0;
        while (inbound.readableBytes() >= Integer.BYTES) {
            final int length = inbound.getIntBigEndian(inbound.readPosition());
            if (length < 0) {
                throw new IllegalStateException("negative frame length " + length);
            }
            final int frameLength = Integer.BYTES + length;
            if (inbound.readableBytes() < frameLength || !out.write(inbound, inbound.readPosition(), frameLength)) {
                break;
            }
            inbound.consume(frameLength);
            frames++;
        }
        return frames;
    }
}
