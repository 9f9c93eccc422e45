package dev.ringside.engine.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

import dev.ringside.engine.config.IdleMode;
import dev.ringside.engine.counter.EngineCounter;
import dev.ringside.engine.protocol.echo.EchoProtocol;
import dev.ringside.engine.testing.LoopHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a cycle does after a blocking select: the select dispatched the ready keys itself, so the next cycle
 * does not poll the selector again (one {@code epoll_wait} per wake-up, not two); input that arrives in
 * between is still served at once, by the next select, which returns immediately.
 */
@Timeout(30)
class EventLoopWakeUpTest {
    private static final int MESSAGE_BYTES = 64;

    @Test
    void shouldSkipTheNonBlockingPollRightAfterABlockingSelectThatDispatchedKeys() throws Exception {
        try (LoopHarness harness = new LoopHarness(LoopHarness.smallConfig().idleMode(IdleMode.BLOCK));
            SocketChannel client = SocketChannel.open()) {
            final EventLoop loop = harness.loop();
            final ByteBuffer buffer = connectToEcho(harness, client);

            send(client, buffer);
            loop.idle(0); // blocks until the message is readable, and echoes it from inside the select
            assertEquals(MESSAGE_BYTES, receive(client, buffer), "echoed by the blocking select's dispatch");

            send(client, buffer); // ready now, but the cycle right after the wake-up does not poll for it
            assertEquals(0, loop.doWork());
            assertEquals(0, receive(client, buffer));
            loop.idle(0); // level-triggered: the blocking select returns at once with the waiting input
            assertEquals(MESSAGE_BYTES, receive(client, buffer));

            assertEquals(0, loop.doWork()); // the cycle after that wake-up skips its poll too

            send(client, buffer); // the skip applies once: a cycle after a cycle polls as usual
            assertTrue(loop.doWork() > 0);
            assertEquals(MESSAGE_BYTES, receive(client, buffer));
            assertEquals(3, harness.counters().get(EngineCounter.MESSAGES_OUT));
        }
    }

    @Test
    void shouldPollAsUsualAfterABlockingSelectThatDispatchedNothing() throws Exception {
        try (LoopHarness harness = new LoopHarness(LoopHarness.smallConfig().idleMode(IdleMode.BLOCK));
            SocketChannel client = SocketChannel.open()) {
            final EventLoop loop = harness.loop();
            final ByteBuffer buffer = connectToEcho(harness, client);

            loop.idle(0, 2_000_000); // nothing ready: times out after about 2 ms having dispatched nothing
            send(client, buffer);
            assertTrue(loop.doWork() > 0);
            assertEquals(MESSAGE_BYTES, receive(client, buffer));
        }
    }

    private static void send(final SocketChannel client, final ByteBuffer buffer) throws Exception {
        buffer.clear();
        while (buffer.hasRemaining()) {
            client.write(buffer);
        }
    }

    /** Reads what is there now: loopback delivers a write before the writing call returns. */
    private static int receive(final SocketChannel client, final ByteBuffer buffer) throws Exception {
        buffer.clear();
        client.read(buffer);
        return buffer.position();
    }

    /** Serves echo, connects {@code client} (non-blocking afterwards) and returns a message-sized buffer. */
    private static ByteBuffer connectToEcho(final LoopHarness harness, final SocketChannel client) throws IOException {
        client.connect(harness.listenTcp(new EchoProtocol()));
        harness.runUntil(() -> harness.loop().openConnections() == 1);
        client.configureBlocking(false);
        return ByteBuffer.allocate(MESSAGE_BYTES);
    }
}
