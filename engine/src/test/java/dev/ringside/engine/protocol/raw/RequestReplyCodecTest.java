package dev.ringside.engine.protocol.raw;

import static dev.ringside.engine.protocol.raw.FramerFeeder.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.ringside.engine.buffer.ByteRing;
import dev.ringside.engine.protocol.ClientCodec;
import dev.ringside.engine.protocol.ClientSetup;
import dev.ringside.engine.protocol.CodecFactory;
import dev.ringside.engine.protocol.OptionValues;
import dev.ringside.engine.protocol.ProtocolOption;
import dev.ringside.engine.protocol.ProtocolSpec;
import dev.ringside.engine.protocol.ReplyFault;
import dev.ringside.engine.protocol.ReplySink;
import dev.ringside.engine.protocol.memcached.Memcached;
import dev.ringside.engine.protocol.redis.Redis;
import dev.ringside.engine.protocols.Protocols;
import dev.ringside.engine.testing.RecordingSink;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client side of raw, redis and memcached as the registry builds it from option values: what is sent,
 * how replies reach the sink (error replies as {@link Raw#ERROR_REPLY}), and the option checks.
 */
class RequestReplyCodecTest {
    private static final ClientSetup TCP = new ClientSetup(new InetSocketAddress("127.0.0.1", 1), false, 64, 1, 1);
    private static final ClientSetup UDP = new ClientSetup(new InetSocketAddress("127.0.0.1", 1), true, 64, 1, 1);

    @TempDir
    Path dir;

    /** Option values as on the command line: flag, value, flag, value... */
    private static OptionValues options(final ProtocolSpec spec, final String... flagsAndValues) {
        final Map<ProtocolOption<?>, List<String>> texts = new LinkedHashMap<>();
        for (int i = 0; i < flagsAndValues.length; i += 2) {
            final String flag = flagsAndValues[i];
            final ProtocolOption<?> option = spec.clientOptions().stream().filter(o -> o.name().equals(flag))
                .findFirst().orElseThrow(() -> new AssertionError(spec.name() + " has no " + flag));
            texts.computeIfAbsent(option, o -> new ArrayList<>()).add(flagsAndValues[i + 1]);
        }
        return OptionValues.parse(texts);
    }

    private static CodecFactory codecs(final ProtocolSpec spec, final ClientSetup setup, final String... options) {
        return spec.client().orElseThrow().newCodecs(options(spec, options), setup);
    }

    private static List<String> sent(final ClientCodec codec, final int count) {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[codec.maxRequestBytes()]);
        final List<String> requests = new ArrayList<>();
        for (int seq = 0; seq < count; seq++) {
            requests.add(buffer.getStringWithoutLengthAscii(0, codec.encode(buffer, seq, 0, 0)));
        }
        return requests;
    }

    private static int decode(final ClientCodec codec, final String stream, final RecordingSink sink) {
        final ByteRing ring = ByteRing.allocate(1024);
        ring.write(new UnsafeBuffer(bytes(stream)), 0, stream.length());
        return codec.decode(ring, sink);
    }

    @Test
    void shouldBeRegisteredAsClientOnly() {
        for (final String name : List.of("raw", "redis", "memcached")) {
            final ProtocolSpec spec = Protocols.find(name).orElseThrow();
            assertTrue(spec.server().isEmpty() && spec.client().isPresent(), name);
            final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> Protocols.servable(name));
            assertEquals(1, refused.getMessage().lines().count());
            assertTrue(refused.getMessage().contains(name + " is client-only"), refused.getMessage());
        }
        assertTrue(Raw.SPEC.datagrams(), "raw runs over UDP");
    }

    @Test
    void shouldSendRawMessagesRoundRobinAndFrameReplies() {
        final CodecFactory factory = codecs(Raw.SPEC, TCP, "--message", "PING\\r\\n", "--message", "GET\\x20k\\r\\n",
            "--reply-until", "\\r\\n");
        assertEquals("PING\\r\\n, GET\\x20k\\r\\n round-robin", factory.describeRequest());
        final ClientCodec codec = factory.newCodec(0);
        assertEquals(List.of("PING\r\n", "GET k\r\n", "PING\r\n"), sent(codec, 3));
        final RecordingSink sink = new RecordingSink();
        assertEquals(2, decode(codec, "+PONG\r\n$1\r\nx\r", sink));
        assertEquals(Arrays.asList(ReplySink.OLDEST, ReplySink.OLDEST), sink.seqs);
        assertEquals(0, sink.errorCount());
    }

    @Test
    void shouldStopDecodingOnUnsolicitedRepliesAndMalformedStreams() {
        final ClientCodec codec = codecs(Redis.SPEC, TCP, "--command", "GET k").newCodec(0);
        final RecordingSink sink = new RecordingSink();
        sink.accept = false; // nothing in flight: the generator refuses the reply
        assertEquals(ClientCodec.MALFORMED, decode(codec, "+OK\r\n+OK\r\n", sink));
        assertEquals(1, sink.seqs.size());
        assertEquals(ClientCodec.MALFORMED, decode(codecs(Redis.SPEC, TCP).newCodec(0), "?\r\n",
            new RecordingSink()));
    }

    @Test
    void shouldReportErrorRepliesAsTheirOwnFault() {
        final ClientCodec redis = codecs(Redis.SPEC, TCP).newCodec(0);
        assertEquals(List.of("*1\r\n$4\r\nPING\r\n"), sent(redis, 1), "PING by default");
        final RecordingSink sink = new RecordingSink();
        assertEquals(3, decode(redis, "+PONG\r\n-ERR unknown\r\n*1\r\n-ERR in exec\r\n", sink));
        assertEquals(Arrays.asList(null, Raw.ERROR_REPLY, Raw.ERROR_REPLY), sink.errors);

        final ClientCodec memcached = codecs(Memcached.SPEC, TCP, "--command", "set k v", "--command", "get k")
            .newCodec(0);
        assertEquals(List.of("set k 0 0 1\r\nv\r\n", "get k\r\n"), sent(memcached, 2));
        final RecordingSink mc = new RecordingSink();
        assertEquals(3, decode(memcached, "STORED\r\nVALUE k 0 1\r\nv\r\nEND\r\nSERVER_ERROR oom\r\n", mc));
        assertEquals(Arrays.asList(null, null, Raw.ERROR_REPLY), mc.errors);
    }

    @Test
    void shouldCheckRawReplyDatagramsAgainstTheGivenSizeOrEnd() {
        final RecordingSink sink = new RecordingSink();
        final ClientCodec sized = codecs(Raw.SPEC, UDP, "--message", "hello", "--reply-bytes", "5").newCodec(0);
        sized.decodeDatagram(new UnsafeBuffer(bytes("hello")), 5, sink);
        sized.decodeDatagram(new UnsafeBuffer(bytes("hello!")), 6, sink);
        final ClientCodec ended = codecs(Raw.SPEC, UDP, "--message", "hello", "--reply-until", "lo").newCodec(0);
        ended.decodeDatagram(new UnsafeBuffer(bytes("hello")), 5, sink);
        ended.decodeDatagram(new UnsafeBuffer(bytes("hel")), 3, sink);
        final ClientCodec any = codecs(Raw.SPEC, UDP, "--message", "hello").newCodec(0);
        any.decodeDatagram(new UnsafeBuffer(bytes("x")), 1, sink);
        assertEquals(Arrays.asList(null, ReplyFault.MISMATCH, null, ReplyFault.MISMATCH, null), sink.errors);
    }

    @Test
    void shouldReadTheMessageFromAFileAsIs() throws Exception {
        final Path file = dir.resolve("request.bin");
        Files.write(file, new byte[] {'\\', 'n', 0, '\r', '\n'});
        final ClientCodec codec = codecs(Raw.SPEC, TCP, "--message-file", file.toString(), "--reply-bytes", "3")
            .newCodec(0);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[codec.maxRequestBytes()]);
        final byte[] request = new byte[codec.encode(buffer, 0, 0, 0)];
        buffer.getBytes(0, request);
        assertArrayEquals(new byte[] {'\\', 'n', 0, '\r', '\n'}, request);
        assertNull(decode(codec, "abcab", new RecordingSink()) == 1 ? null : "one reply of 3 bytes, 2 pending");
    }

    @Test
    void shouldRejectMissingOrConflictingOptionsInOneLine() {
        final Path missing = dir.resolve("missing");
        final List<Runnable> mistakes = List.of(
            () -> codecs(Raw.SPEC, TCP, "--reply-bytes", "4"),
            () -> codecs(Raw.SPEC, TCP, "--message", "x"),
            () -> codecs(Raw.SPEC, TCP, "--message", "x", "--reply-bytes", "4", "--reply-until", "\\n"),
            () -> codecs(Raw.SPEC, TCP, "--message", "x", "--message-file", dir.toString(), "--reply-bytes", "1"),
            () -> codecs(Raw.SPEC, TCP, "--message-file", missing.toString(), "--reply-bytes", "1"),
            () -> codecs(Raw.SPEC, TCP, "--message", "", "--reply-bytes", "1"),
            () -> codecs(Raw.SPEC, UDP, "--message", "x".repeat(70_000)),
            () -> codecs(Raw.SPEC, TCP, "--message", "a\\q", "--reply-bytes", "1"),
            () -> codecs(Raw.SPEC, TCP, "--message", "a", "--reply-until", ""),
            () -> codecs(Raw.SPEC, TCP, "--message", "a", "--reply-bytes", "0"),
            () -> codecs(Redis.SPEC, TCP, "--command", "GET \"k"),
            () -> codecs(Memcached.SPEC, TCP),
            () -> codecs(Memcached.SPEC, TCP, "--command", "delete k"));
        for (final Runnable mistake : mistakes) {
            final IllegalArgumentException error = assertThrows(IllegalArgumentException.class, mistake::run);
            assertEquals(1, error.getMessage().lines().count(), error.getMessage());
        }
        assertEquals("--message a\\q: it has an unknown escape '\\q' at index 1 (escapes: " + CEscapes.KNOWN + ")",
            assertThrows(IllegalArgumentException.class,
                () -> codecs(Raw.SPEC, TCP, "--message", "a\\q", "--reply-bytes", "1")).getMessage());
    }
}
