package dev.ringside.engine.protocol.raw;

import static dev.ringside.engine.protocol.raw.FramerFeeder.bytes;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.ringside.engine.buffer.ByteRing;
import dev.ringside.engine.protocol.memcached.MemcachedCommands;
import dev.ringside.engine.protocol.memcached.MemcachedReplyFramer;
import dev.ringside.engine.protocol.redis.RespCommands;
import dev.ringside.engine.protocol.redis.RespReplyFramer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The request/reply hot path allocates nothing in steady state: after a warm-up, thousands of reply batches
 * through each framer (split so that replies straddle reads) and thousands of requests from a rotation must
 * not move the thread's allocated-bytes counter.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FramerAllocationTest {
    private static final int ITERATIONS = 20_000;
    /** Slack for the counter's own bookkeeping; one allocation per iteration would be 320 KB or more. */
    private static final long SLACK_BYTES = 1024;
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static long allocatedBy(final Runnable work) {
        for (int i = 0; i < ITERATIONS; i++) {
            work.run();
        }
        final long before = THREADS.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < ITERATIONS; i++) {
            work.run();
        }
        return THREADS.getCurrentThreadAllocatedBytes() - before;
    }

    /** Feeds the stream in two reads cut mid-reply, and checks every reply was framed. */
    private static Runnable framing(final Supplier<ReplyFramer> framers, final String stream, final int replies) {
        final ReplyFramer framer = framers.get();
        final UnsafeBuffer input = new UnsafeBuffer(bytes(stream));
        final ByteRing ring = ByteRing.allocate(4096);
        final int cut = input.capacity() / 2 + 1;
        return () -> {
            int framed = 0;
            ring.write(input, 0, cut);
            while (framer.next(ring) > 0) {
                framed++;
            }
            ring.write(input, cut, input.capacity() - cut);
            while (framer.next(ring) > 0) {
                framed++;
            }
            if (framed != replies || !ring.isEmpty()) {
                throw new AssertionError("framed " + framed + " of " + replies);
            }
        };
    }

    @Test
    void shouldFrameRepliesWithoutAllocating() {
        assertNoAllocation("byte count", framing(() -> new ByteCountFramer(7), "+PONG\r\n".repeat(10), 10));
        assertNoAllocation("marker", framing(() -> new MarkerFramer(bytes("\r\n")), "+PONG\r\n".repeat(10), 10));
        assertNoAllocation("resp", framing(RespReplyFramer::new,
            "+OK\r\n$5\r\nhello\r\n*2\r\n:1\r\n*1\r\n$-1\r\n-ERR x\r\n", 4));
        assertNoAllocation("memcached", framing(MemcachedReplyFramer::new,
            "STORED\r\nVALUE k 0 5\r\nhello\r\nEND\r\nEND\r\nSERVER_ERROR x\r\n", 4));
    }

    @Test
    void shouldWriteRequestsWithoutAllocating() {
        final RequestRotation rotation = new RequestRotation(List.of(RespCommands.encode("SET k v"),
            MemcachedCommands.encode("get k"), bytes("PING\r\n")));
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[rotation.maxRequestBytes()]);
        final long[] seq = new long[1];
        assertNoAllocation("rotation", () -> {
            if (rotation.write(buffer, seq[0]++) <= 0) {
                throw new AssertionError("empty request");
            }
        });
    }

    private static void assertNoAllocation(final String what, final Runnable work) {
        final long allocated = allocatedBy(work);
        assertTrue(allocated < SLACK_BYTES, what + " allocated " + allocated + " bytes in steady state");
    }
}
