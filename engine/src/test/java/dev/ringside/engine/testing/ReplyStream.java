package dev.ringside.engine.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

import dev.ringside.engine.buffer.ByteRing;
import dev.ringside.engine.protocol.raw.ReplyFramer;

/**
 * Sends requests to a real server over one blocking loopback connection, all at once (pipelined), and frames
 * what comes back through a small ring, so replies arrive split wherever the kernel splits them and wrap
 * around the ring's end many times.
 */
public final class ReplyStream {
    private ReplyStream() {
    }

    /**
     * @param address  the server
     * @param requests the bytes to send
     * @param framer   the framer under test
     * @param replies  how many replies to wait for
     * @return each reply's outcome in order: {@code R} reply, {@code E} error reply, {@code M} malformed (last)
     */
    public static String exchange(final InetSocketAddress address, final byte[] requests, final ReplyFramer framer,
        final int replies) throws IOException {
        final List<String> outcomes = new ArrayList<>();
        try (SocketChannel channel = SocketChannel.open(address)) {
            final ByteBuffer out = ByteBuffer.wrap(requests);
            final ByteRing ring = ByteRing.allocate(4096);
            // Interleave writing and reading: a server stops reading when its replies are not read.
            channel.configureBlocking(false);
            int idle = 0;
            while (outcomes.size() < replies && !outcomes.contains("M")) {
                int work = out.hasRemaining() ? channel.write(out) : 0;
                final int read = ring.readFrom(channel);
                if (read < 0) {
                    throw new IOException("server closed after " + outcomes.size() + " replies: " + outcomes);
                }
                work += read;
                while (!ring.isEmpty()) {
                    final int result = framer.next(ring);
                    if (result == ReplyFramer.NEED_MORE) {
                        break;
                    }
                    outcomes.add(result == ReplyFramer.REPLY ? "R" : result == ReplyFramer.ERROR_REPLY ? "E" : "M");
                    if (result == ReplyFramer.MALFORMED) {
                        break;
                    }
                }
                // Bounded by the test's @Timeout; spin politely while the server works.
                idle = work == 0 ? idle + 1 : 0;
                if (idle > 0) {
                    Thread.onSpinWait();
                }
            }
        }
        return String.join("", outcomes);
    }
}
