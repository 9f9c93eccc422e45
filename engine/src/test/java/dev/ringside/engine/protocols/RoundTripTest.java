package dev.ringside.engine.protocols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.ringside.engine.buffer.ByteRing;
import dev.ringside.engine.protocol.ClientCodec;
import dev.ringside.engine.protocol.ClientSetup;
import dev.ringside.engine.protocol.CodecFactory;
import dev.ringside.engine.protocol.DatagramHandler;
import dev.ringside.engine.protocol.Exchange;
import dev.ringside.engine.protocol.OptionValues;
import dev.ringside.engine.protocol.Protocol;
import dev.ringside.engine.protocol.ProtocolSpec;
import dev.ringside.engine.protocol.ServerEnvironment;
import dev.ringside.engine.protocol.Session;
import dev.ringside.engine.protocol.SessionContext;
import dev.ringside.engine.testing.RecordingOutbound;
import dev.ringside.engine.testing.RecordingSink;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every protocol the registry both serves and drives, without a socket: the client codec encodes requests, the
 * server session answers them, and the client codec decodes the answers (fed one byte at a time, the worst split),
 * every reply counted and verified. Over UDP the same through the datagram handler. The protocols come from
 * {@link Protocols#ALL}, so a new protocol is covered by its registry line alone.
 *
 * <p>Catches: a registry line that pairs a server with another protocol's codec (every reply fails to verify),
 * a codec that loses or miscounts a reply split across reads, a server that answers too few requests.
 */
class RoundTripTest {
    private static final int REQUESTS = 20;
    private static final int RING_BYTES = 64 * 1024;
    private static final int SIZE = 100;
    private static final SessionContext CONTEXT = new SessionContext(1, "127.0.0.1:2", "127.0.0.1:1");

    static List<ProtocolSpec> bothSides() {
        return Protocols.comparable();
    }

    static List<ProtocolSpec> datagramProtocols() {
        return Protocols.comparable().stream().filter(ProtocolSpec::datagrams).toList();
    }

    private static Protocol server(final ProtocolSpec spec) {
        return spec.server().orElseThrow().newProtocol(OptionValues.defaults(),
            new ServerEnvironment(RING_BYTES, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8)));
    }

    private static CodecFactory client(final ProtocolSpec spec, final boolean udp, final int connections) {
        final int size = spec.size().applies() ? Math.max(SIZE, spec.size().min(udp)) : SIZE;
        return spec.client().orElseThrow().newCodecs(OptionValues.defaults(),
            new ClientSetup(new InetSocketAddress("127.0.0.1", 1), udp, size, connections, 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bothSides")
    void shouldAnswerEveryRequestOfItsOwnClientCodec(final ProtocolSpec spec) {
        if (spec.client().orElseThrow().exchange() == Exchange.BROADCAST) {
            broadcastRoundTrip(spec);
            return;
        }
        final ClientCodec codec = client(spec, false, 1).newCodec(0);
        final Session session = server(spec).newSession(CONTEXT);
        final RecordingOutbound out = new RecordingOutbound(RING_BYTES);
        session.onOpen(out);
        final ByteRing inbound = ByteRing.allocate(RING_BYTES);
        final UnsafeBuffer request = new UnsafeBuffer(new byte[codec.maxRequestBytes()]);
        for (int seq = 0; seq < REQUESTS; seq++) {
            final int length = codec.encode(request, seq, seq, seq);
            assertTrue(inbound.write(request, 0, length));
        }
        // Unframed protocols count a read as one message, so the replies decoded below are the real count.
        assertTrue(session.onData(inbound, out) > 0, spec + ": the server handled nothing");
        assertTrue(inbound.isEmpty(), spec + ": the server consumed every request");
        assertNull(out.closedWith(), spec + ": the server closed the connection");

        final RecordingSink sink = decodeByteByByte(codec, out.drain());
        assertEquals(REQUESTS, sink.seqs.size(), spec + ": replies decoded");
        assertEquals(0, sink.errorCount(), spec + ": replies that failed verification " + sink.errors);
    }

    /** Chat: one member publishes, the other receives every line, stamped and verified. */
    private static void broadcastRoundTrip(final ProtocolSpec spec) {
        final CodecFactory codecs = client(spec, false, 2);
        final ClientCodec publisher = codecs.newCodec(0);
        final ClientCodec subscriber = codecs.newCodec(1);
        final Protocol protocol = server(spec);
        final Session sending = protocol.newSession(CONTEXT);
        final Session receiving = protocol.newSession(CONTEXT);
        final RecordingOutbound sendingOut = new RecordingOutbound(RING_BYTES).owner(sending);
        final RecordingOutbound receivingOut = new RecordingOutbound(RING_BYTES).owner(receiving);
        sending.onOpen(sendingOut);
        receiving.onOpen(receivingOut);
        final ByteRing inbound = ByteRing.allocate(RING_BYTES);
        final UnsafeBuffer request = new UnsafeBuffer(new byte[publisher.maxRequestBytes()]);
        for (int seq = 0; seq < REQUESTS; seq++) {
            final int length = publisher.encode(request, seq, 1000 + seq, 2000 + seq);
            assertTrue(inbound.write(request, 0, length));
        }
        assertEquals(REQUESTS, sending.onData(inbound, sendingOut), spec + ": lines the server handled");
        final RecordingSink sink = decodeByteByByte(subscriber, receivingOut.drain());
        assertEquals(REQUESTS, sink.deliveries.size(), spec + ": lines delivered");
        assertEquals(0, sink.errorCount(), spec + ": deliveries that failed verification " + sink.errors);
        for (int seq = 0; seq < REQUESTS; seq++) {
            final long[] delivery = sink.deliveries.get(seq);
            assertEquals(0, delivery[0], "publisher");
            assertEquals(seq, delivery[1], "sequence");
            assertEquals(1000 + seq, delivery[2], "intended time carried in the line");
            assertEquals(2000 + seq, delivery[3], "sent time carried in the line");
        }
        assertEquals(0, sendingOut.drain().length, spec + ": a line does not go back to its sender");
    }

    private static RecordingSink decodeByteByByte(final ClientCodec codec, final byte[] replies) {
        final RecordingSink sink = new RecordingSink();
        final ByteRing ring = ByteRing.allocate(RING_BYTES);
        final UnsafeBuffer one = new UnsafeBuffer(new byte[1]);
        for (final byte b : replies) {
            one.putByte(0, b);
            ring.write(one, 0, 1);
            assertNotEquals(ClientCodec.MALFORMED, codec.decode(ring, sink), "the reply stream is malformed");
        }
        assertTrue(ring.isEmpty(), "the codec consumed every reply byte");
        return sink;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("datagramProtocols")
    void shouldAnswerEveryDatagramOfItsOwnClientCodec(final ProtocolSpec spec) {
        final ClientCodec codec = client(spec, true, 1).newCodec(0);
        final DatagramHandler handler = server(spec).newDatagramHandler("127.0.0.1:1");
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[65_536]);
        final RecordingSink sink = new RecordingSink();
        final List<Long> expected = new ArrayList<>();
        for (int seq = 0; seq < REQUESTS; seq++) {
            final int length = codec.encode(buffer, seq, seq, seq);
            final int reply = handler.onDatagram(buffer, length, new InetSocketAddress("127.0.0.1", 2));
            assertTrue(reply > 0, spec + ": datagram " + seq + " answered");
            codec.decodeDatagram(buffer, reply, sink);
            expected.add((long) seq);
        }
        assertEquals(0, sink.errorCount(), spec + ": replies that failed verification " + sink.errors);
        if (sink.seqs.stream().allMatch(seq -> seq >= 0)) {
            assertEquals(expected, sink.seqs, spec + ": each reply names its request");
        } else {
            assertEquals(REQUESTS, sink.seqs.size(), spec + ": replies");
        }
    }
}
