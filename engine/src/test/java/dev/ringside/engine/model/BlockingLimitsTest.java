package dev.ringside.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import dev.ringside.engine.counter.EngineCounter;
import dev.ringside.engine.protocol.CloseReason;
import dev.ringside.engine.protocol.echo.EchoProtocol;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The selector loop's limits, kept by every blocking model: frames larger than the ring, end of stream in
 * the middle of a frame, a session that throws, shutdown with output owed, and the connection limit.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BlockingLimitsTest {
    private static final int POOL_THREADS = 2;

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ServerModel.class, names = {"ITERATIVE", "THREAD", "POOL", "VIRTUAL"})
    void shouldEchoWholeFramesHeldBackAcrossPartialReads(final ServerModel model) throws Exception {
        assumeModel(model);
        try (ModelServer server = start(model, new WholeFrameEchoProtocol());
            Socket socket = Clients.connect(server.tcp())) {
            final Random random = new Random(3);
            final ByteBuffer frames = ByteBuffer.allocate(64 * ModelServer.RING_BYTES);
            int count = 0;
            while (frames.remaining() >= ModelServer.RING_BYTES) {
                final byte[] body = Clients.randomBytes(random, random.nextInt(ModelServer.RING_BYTES - Integer.BYTES));
                frames.putInt(body.length).put(body);
                count++;
            }
            final byte[] bytes = java.util.Arrays.copyOf(frames.array(), frames.position());
            Clients.echo(socket, bytes, random);
            server.await(EngineCounter.MESSAGES_IN, count);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ServerModel.class, names = {"ITERATIVE", "THREAD", "POOL", "VIRTUAL"})
    void shouldCloseAFrameLargerThanTheRing(final ServerModel model) throws Exception {
        assumeModel(model);
        try (ModelServer server = start(model, new WholeFrameEchoProtocol());
            Socket socket = Clients.connect(server.tcp())) {
            writeIgnoringReset(socket, frameHeaderAndBody(2 * ModelServer.RING_BYTES, ModelServer.RING_BYTES));
            server.awaitClosed(CloseReason.FRAME_TOO_LARGE, 1);
            assertEquals(0, server.count(EngineCounter.BYTES_OUT));
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ServerModel.class, names = {"ITERATIVE", "THREAD", "POOL", "VIRTUAL"})
    void shouldCountEndOfStreamInTheMiddleOfAFrame(final ServerModel model) throws Exception {
        assumeModel(model);
        try (ModelServer server = start(model, new WholeFrameEchoProtocol());
            Socket socket = Clients.connect(server.tcp())) {
            socket.getOutputStream().write(frameHeaderAndBody(100, 10));
            Clients.expectCloseAfterHalfClose(socket);
            server.awaitClosed(CloseReason.EOF_MID_FRAME, 1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ServerModel.class, names = {"ITERATIVE", "THREAD", "POOL", "VIRTUAL"})
    void shouldCloseOnASessionExceptionAndServeTheNextClient(final ServerModel model) throws Exception {
        assumeModel(model);
        try (ModelServer server = start(model, new WholeFrameEchoProtocol())) {
            try (Socket failing = Clients.connect(server.tcp())) {
                failing.getOutputStream().write(frameHeaderAndBody(-1, 0));
                assertEquals(-1, failing.getInputStream().read(), "closed after the exception");
            }
            server.awaitClosed(CloseReason.HANDLER_ERROR, 1);
            assertEquals(1, server.count(EngineCounter.HANDLER_ERRORS));
            try (Socket next = Clients.connect(server.tcp())) {
                final byte[] frame = frameHeaderAndBody(3, 3);
                next.getOutputStream().write(frame);
                assertArrayEquals(frame, Clients.readExactly(next, frame.length));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ServerModel.class, names = {"ITERATIVE", "THREAD", "POOL", "VIRTUAL"})
    void shouldFinishConnectionsAtShutdownAndCountThem(final ServerModel model) throws Exception {
        assumeModel(model);
        try (ModelServer server = start(model, new EchoProtocol());
            Socket socket = Clients.connect(server.tcp())) {
            Clients.roundTrip(socket, "before shutdown");
            server.server().shutdown(TimeUnit.SECONDS.toNanos(5));
            assertEquals(-1, socket.getInputStream().read(), "the server closed the connection");
            assertEquals(1, server.closedBy(CloseReason.SHUTDOWN));
            assertEquals(0, server.count(EngineCounter.CONNECTIONS_OPEN));
            assertEquals(0, server.count(EngineCounter.RINGS_LEASED), "every ring returned");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ServerModel.class, names = {"THREAD", "POOL", "VIRTUAL"})
    void shouldRejectConnectionsBeyondTheLimit(final ServerModel model) throws Exception {
        assumeModel(model);
        final var config = ModelServer.config().maxConnections(POOL_THREADS);
        try (ModelServer server = ModelServer.start(model, new EchoProtocol(), config, POOL_THREADS);
            Socket first = Clients.connect(server.tcp());
            Socket second = Clients.connect(server.tcp())) {
            Clients.roundTrip(first, "first");
            Clients.roundTrip(second, "second");
            try (Socket third = Clients.connect(server.tcp())) {
                assertEquals(-1, third.getInputStream().read(), "accepted and closed at once");
            }
            server.await(EngineCounter.CONNECTIONS_REJECTED, 1);
            assertEquals(2, server.count(EngineCounter.CONNECTIONS_ACCEPTED));
            Clients.roundTrip(first, "first still served");
        }
    }

    private static void assumeModel(final ServerModel model) {
        SelectedModels.assume(model);
    }

    private static ModelServer start(final ServerModel model, final dev.ringside.engine.protocol.Protocol protocol)
        throws IOException {
        return ModelServer.start(model, protocol, ModelServer.config(), POOL_THREADS);
    }

    private static byte[] frameHeaderAndBody(final int declaredLength, final int bodyBytes) {
        return ByteBuffer.allocate(Integer.BYTES + bodyBytes).putInt(declaredLength).array();
    }

    /** The server may close while bytes are still in flight; a reset on write is part of that. */
    private static void writeIgnoringReset(final Socket socket, final byte[] bytes) {
        try {
            final OutputStream out = socket.getOutputStream();
            out.write(bytes);
        } catch (final IOException ex) {
            return;
        }
    }
}
