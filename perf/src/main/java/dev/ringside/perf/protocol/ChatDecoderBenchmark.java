package dev.ringside.perf.protocol;

import java.util.concurrent.TimeUnit;

import dev.ringside.engine.buffer.ByteRing;
import dev.ringside.engine.protocol.Session;
import dev.ringside.engine.protocol.SessionContext;
import dev.ringside.engine.protocol.chat.Chat;
import dev.ringside.engine.protocol.chat.ChatProtocol;
import dev.ringside.engine.protocol.chat.LoopChatRoom;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The {@code chat} session splitting newline-terminated lines out of a ring and publishing each to a room of
 * {@code subscribers} other members (the selector loop's single-threaded room): one operation is one read
 * holding {@code linesPerRead} lines. Time per line is the score divided by {@code linesPerRead}; the copies
 * to subscribers are part of it. {@code gc.alloc.rate.norm} should be ~0 B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ChatDecoderBenchmark {
    private static final int RING_BYTES = 64 * 1024;

    @Param({"64", "1024"})
    int lineBytes;

    @Param({"1", "16"})
    int linesPerRead;

    @Param({"1", "16"})
    int subscribers;

    private ByteRing inbound;
    private RecordingOutbound publisherOut;
    private RecordingOutbound[] subscriberOuts;
    private Session publisher;
    private UnsafeBuffer read;

    /** Opens a room with one publisher and the subscribers, and builds one read's worth of lines. */
    @Setup
    public void setup() {
        final ChatProtocol protocol = new ChatProtocol(new LoopChatRoom(false), Chat.DEFAULT_MAX_LINE_BYTES);
        publisher = protocol.newSession(new SessionContext(0, "127.0.0.1:1", "127.0.0.1:2"));
        publisherOut = new RecordingOutbound(RING_BYTES);
        publisher.onOpen(publisherOut);
        subscriberOuts = new RecordingOutbound[subscribers];
        for (int i = 0; i < subscribers; i++) {
            subscriberOuts[i] = new RecordingOutbound(RING_BYTES);
            protocol.newSession(new SessionContext(i + 1, "127.0.0.1:" + (i + 3), "127.0.0.1:2"))
                .onOpen(subscriberOuts[i]);
        }
        inbound = ByteRing.allocate(RING_BYTES);
        read = new UnsafeBuffer(new byte[lineBytes * linesPerRead]);
        for (int i = 0; i < read.capacity(); i++) {
            read.putByte(i, i % lineBytes == lineBytes - 1 ? (byte) '\n' : (byte) ('a' + i % 26));
        }
    }

    /** @return lines decoded and published (always {@code linesPerRead}) */
    @Benchmark
    public int decodeAndPublish() {
        inbound.write(read, 0, read.capacity());
        final int lines = publisher.onData(inbound, publisherOut);
        for (final RecordingOutbound out : subscriberOuts) {
            out.drain();
        }
        return lines;
    }

    /** Checks that every subscriber received every line. */
    @TearDown
    public void check() {
        for (final RecordingOutbound out : subscriberOuts) {
            if (out.closes() != 0 || out.messages() == 0) {
                throw new IllegalStateException("a chat subscriber was closed or received nothing");
            }
        }
        if (!inbound.isEmpty()) {
            throw new IllegalStateException("chat session left input: " + inbound);
        }
    }
}
