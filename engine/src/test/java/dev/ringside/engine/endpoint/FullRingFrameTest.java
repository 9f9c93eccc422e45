package dev.ringside.engine.endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import dev.ringside.engine.config.LoopConfig;
import dev.ringside.engine.counter.EngineCounter;
import dev.ringside.engine.protocol.CloseReason;
import dev.ringside.engine.protocol.sockperf.SockperfProtocol;
import dev.ringside.engine.protocol.sockperf.SockperfProtocolTest;
import dev.ringside.engine.testing.LoopHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Frames as large as the ring, each answered with a reply as large: a full inbound ring that waits only for its
 * reply's room is not a frame too large. (Seen with sockperf frames near a full ring on the selector model: the
 * connection closed before every reply, issue 11.)
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FullRingFrameTest {
    private static final int RING_BYTES = 4096;

    /**
     * Catches the check that judged "frame too large" right after a flush drained output queued before the session
     * ran, when a whole-ring frame had only waited for its reply's room (tried: the old check; FRAME_TOO_LARGE after
     * a few hundred frames, the client sees the end of stream before every reply).
     */
    @Test
    void shouldAnswerEveryFrameOfAWholeRingWhileRepliesBackUp() throws Exception {
        final LoopConfig config = new LoopConfig().ringCapacityBytes(RING_BYTES).poolRings(16)
            .socketSendBufferBytes(4096);
        try (LoopHarness harness = new LoopHarness(config)) {
            final InetSocketAddress address = harness.listenTcp(new SockperfProtocol(RING_BYTES));
            harness.startThread();
            final int frames = 3000;
            final ByteArrayOutputStream requests = new ByteArrayOutputStream();
            final ByteArrayOutputStream expected = new ByteArrayOutputStream();
            for (int i = 0; i < frames; i++) {
                // Whole rings between smaller replies: a whole-ring frame often waits behind a reply still queued.
                final int length = i % 3 == 0 ? RING_BYTES : 200 + (i % 11) * 150;
                final byte[] frame = SockperfProtocolTest.message(i, SockperfProtocol.FLAG_CLIENT
                    | SockperfProtocol.FLAG_PONG_REQUEST, length);
                requests.writeBytes(frame);
                frame[SockperfProtocol.FLAGS_OFFSET + 1] &= (byte) ~SockperfProtocol.FLAG_CLIENT;
                expected.writeBytes(frame);
            }
            final byte[] received;
            try (Socket socket = new Socket()) {
                socket.setReceiveBufferSize(8192);
                socket.connect(address);
                socket.setSoTimeout(20_000);
                // Written from another thread while this one reads: the loop's flushes race the reader, as in use.
                final Thread writer = new Thread(() -> {
                    try {
                        socket.getOutputStream().write(requests.toByteArray());
                    } catch (final IOException ex) {
                        // the server closed: the reader sees it
                    }
                }, "full-ring-writer");
                writer.start();
                received = socket.getInputStream().readNBytes(expected.size());
                writer.join();
            }
            assertEquals(0, harness.counters().closedBy(CloseReason.FRAME_TOO_LARGE), "closed as too large");
            assertTrue(Arrays.equals(expected.toByteArray(), received), "every reply, byte for byte: got "
                + received.length + " of " + expected.size() + " bytes");
            LoopHarness.await(() -> harness.counters().get(EngineCounter.CONNECTIONS_OPEN) == 0);
            assertEquals(0, harness.counters().get(EngineCounter.HANDLER_ERRORS));
        }
    }
}
