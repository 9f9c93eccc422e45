package dev.ringside.bench.driver;

import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ringside.bench.record.BenchResult;
import dev.ringside.engine.buffer.ByteRing;
import dev.ringside.engine.protocol.DatagramHandler;
import dev.ringside.engine.protocol.Outbound;
import dev.ringside.engine.protocol.Protocol;
import dev.ringside.engine.protocol.Session;
import dev.ringside.engine.protocol.SessionContext;
import dev.ringside.engine.protocol.sockperf.SockperfProtocol;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Small servers for the generator's tests, as engine protocols: an echo that corrupts one byte, an echo
 * that stops answering, a sockperf-style responder, a chat room, an HTTP responder. The real protocol
 * servers live in the engine; these only do what a test needs.
 */
final class TestServers {
    private TestServers() {
    }

    /** Runs a benchmark with no progress output. */
    static BenchResult run(final BenchSettings settings) throws InterruptedException {
        return new BenchRunner(settings.validate(), List.of(), System.err).run();
    }

    /** Settings for a short open-loop run against {@code target}. */
    static BenchSettings quick(final InetSocketAddress target) {
        return new BenchSettings().target(target).connections(1).rate(500).warmupNs(0)
            // A reply may take seconds on a loaded 2-core machine (load 10): the timeout is no latency bound.
            .durationNs(500_000_000L).timeoutNs(2_000_000_000L);
    }

    /** A protocol whose sessions share one behaviour and have no datagram form. */
    abstract static class StreamProtocol implements Protocol {
        @Override
        public String name() {
            return "test";
        }

        @Override
        public DatagramHandler newDatagramHandler(final String localAddress) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean supportsDatagrams() {
            return false;
        }
    }

    /** Echo that closes each connection once it has answered {@code bytes} bytes. */
    static Protocol closeAfter(final int bytes) {
        return new StreamProtocol() {
            @Override
            public Session newSession(final SessionContext context) {
                final int[] answered = new int[1];
                return (in, out) -> {
                    final int length = Math.min(in.readableBytes(), bytes - answered[0]);
                    if (length > 0 && out.write(in, in.readPosition(), length)) {
                        answered[0] += length;
                        in.consume(length);
                    }
                    if (answered[0] >= bytes) {
                        out.closeAfterFlush();
                    }
                    return 1;
                };
            }
        };
    }

    /** Echo that flips one bit of the byte at {@code corruptAt} (counted over all connections' streams). */
    static Protocol corruptingEcho(final long corruptAt) {
        final long[] position = new long[1];
        return new StreamProtocol() {
            @Override
            public Session newSession(final SessionContext context) {
                final UnsafeBuffer scratch = new UnsafeBuffer(new byte[64 * 1024]);
                return (in, out) -> {
                    final int length = Math.min(Math.min(in.readableBytes(), out.writableBytes()), scratch.capacity());
                    if (length == 0) {
                        return 0;
                    }
                    in.copyTo(in.readPosition(), scratch, 0, length);
                    if (corruptAt >= position[0] && corruptAt < position[0] + length) {
                        final int index = (int) (corruptAt - position[0]);
                        scratch.putByte(index, (byte) (scratch.getByte(index) ^ 0x20));
                    }
                    position[0] += length;
                    out.write(scratch, 0, length);
                    in.consume(length);
                    return 1;
                };
            }
        };
    }

    /** Echo that answers the first {@code bytes} bytes of each connection and then reads without answering. */
    static Protocol stallingEcho(final int bytes) {
        return new StreamProtocol() {
            @Override
            public Session newSession(final SessionContext context) {
                final int[] answered = new int[1];
                return (in, out) -> {
                    final int length = Math.min(in.readableBytes(), Math.max(0, bytes - answered[0]));
                    if (length > 0 && out.write(in, in.readPosition(), length)) {
                        answered[0] += length;
                    }
                    in.consume(in.readableBytes()); // the rest is swallowed: the server has stalled
                    return 1;
                };
            }
        };
    }

    /** sockperf's server behaviour: answer messages with PONG_REQUEST, with the CLIENT bit cleared. */
    static Protocol sockperfServer() {
        return new StreamProtocol() {
            @Override
            public Session newSession(final SessionContext context) {
                final UnsafeBuffer scratch = new UnsafeBuffer(new byte[64 * 1024]);
                return (in, out) -> {
                    int messages = 0;
                    while (in.readableBytes() >= SockperfProtocol.HEADER_BYTES) {
                        final int length = in.getIntBigEndian(in.readPosition() + 10);
                        if (in.readableBytes() < length) {
                            break;
                        }
                        in.copyTo(in.readPosition(), scratch, 0, length);
                        final int flags = scratch.getShort(8, ByteOrder.BIG_ENDIAN);
                        if ((flags & SockperfProtocol.FLAG_PONG_REQUEST) != 0) {
                            scratch.putShort(8, (short) (flags & ~SockperfProtocol.FLAG_CLIENT), ByteOrder.BIG_ENDIAN);
                            if (!out.write(scratch, 0, length)) {
                                break;
                            }
                        }
                        in.consume(length);
                        messages++;
                    }
                    return messages;
                };
            }
        };
    }

    /** One room: every complete line goes to every other member. */
    static Protocol chatRoom() {
        final List<Outbound> members = new ArrayList<>();
        return new StreamProtocol() {
            @Override
            public Session newSession(final SessionContext context) {
                return new Session() {
                    private Outbound self;

                    @Override
                    public void onOpen(final Outbound out) {
                        self = out;
                        members.add(out);
                    }

                    @Override
                    public void onClose(final dev.ringside.engine.protocol.CloseReason reason) {
                        members.remove(self);
                    }

                    @Override
                    public int onData(final ByteRing in, final Outbound out) {
                        int lines = 0;
                        long newline;
                        while ((newline = in.indexOf((byte) '\n', in.readPosition())) >= 0) {
                            final int length = (int) (newline - in.readPosition()) + 1;
                            for (final Outbound member : members) {
                                if (member != out) {
                                    member.write(in, in.readPosition(), length);
                                }
                            }
                            in.consume(length);
                            lines++;
                        }
                        return lines;
                    }
                };
            }
        };
    }

    /** Answers each GET; every {@code failEvery}-th response (counted over all connections) is a 404. */
    static Protocol httpResponder(final int failEvery, final AtomicInteger failures) {
        final byte[] ok = ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\nHello, World!")
            .getBytes(StandardCharsets.US_ASCII);
        final byte[] notFound = "HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nnot found"
            .getBytes(StandardCharsets.US_ASCII);
        final int[] count = new int[1];
        return new StreamProtocol() {
            @Override
            public Session newSession(final SessionContext context) {
                return (in, out) -> {
                    int requests = 0;
                    while (true) {
                        long end = -1;
                        for (long p = in.readPosition(); p + 3 < in.writePosition(); p++) {
                            if (in.getByte(p) == '\r' && in.getByte(p + 1) == '\n' && in.getByte(p + 2) == '\r'
                                && in.getByte(p + 3) == '\n') {
                                end = p + 4;
                                break;
                            }
                        }
                        if (end < 0) {
                            return requests;
                        }
                        final boolean fail = ++count[0] % failEvery == 0;
                        final byte[] response = fail ? notFound : ok;
                        if (!out.write(new UnsafeBuffer(response), 0, response.length)) {
                            count[0]--;
                            return requests;
                        }
                        if (fail) {
                            failures.incrementAndGet();
                        }
                        in.consume((int) (end - in.readPosition()));
                        requests++;
                    }
                };
            }
        };
    }

    /** A UDP echo that drops every {@code dropEvery}-th datagram it receives. */
    static DatagramHandler droppingUdpEcho(final int dropEvery, final AtomicInteger received,
        final AtomicInteger dropped) {
        return (buffer, length, sender) -> {
            if (received.incrementAndGet() % dropEvery == 0) {
                dropped.incrementAndGet();
                return DatagramHandler.NO_REPLY;
            }
            return length;
        };
    }
}
