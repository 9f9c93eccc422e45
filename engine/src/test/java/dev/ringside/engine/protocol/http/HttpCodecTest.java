package dev.ringside.engine.protocol.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.ringside.engine.buffer.ByteRing;
import dev.ringside.engine.protocol.ClientCodec;
import dev.ringside.engine.protocol.ClientSetup;
import dev.ringside.engine.protocol.CodecFactory;
import dev.ringside.engine.protocol.OptionValues;
import dev.ringside.engine.protocol.ProtocolOption;
import dev.ringside.engine.testing.Feeder;
import dev.ringside.engine.testing.RecordingSink;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * The HTTP/1.1 client codec, byte-exact, with the response stream split at every boundary (all at once, every
 * two-way split, one byte at a time: the {@link Feeder#splits} set), plus malformed and oversized input.
 */
class HttpCodecTest {
    private static final boolean[] TWO_XX = Http.parseStatuses("2xx");
    private static final UnsafeBuffer[] GET = {new UnsafeBuffer(Http.request("GET", "/", "h:80", List.of(), null))};

    /** What one feeding produced: the sink, and the last decode result (a count, MALFORMED or END). */
    private record Fed(RecordingSink sink, List<Integer> statuses, int last, int replies) {
    }

    private static Fed feed(final ClientCodec codec, final byte[] stream, final int[] chunks) {
        final ByteRing ring = ByteRing.allocate(128 * 1024);
        final RecordingSink sink = new RecordingSink();
        int from = 0;
        int last = 0;
        int replies = 0;
        for (final int chunk : chunks) {
            assertTrue(ring.write(new UnsafeBuffer(stream), from, chunk));
            from += chunk;
            last = codec.decode(ring, sink);
            if (last < 0) {
                break; // the connection is closed here: nothing after it is read
            }
            replies += last;
        }
        return new Fed(sink, sink.statuses, last, replies);
    }

    private static List<Fed> everySplit(final Supplier<ClientCodec> codecs, final String stream) {
        final byte[] bytes = stream.getBytes(StandardCharsets.ISO_8859_1);
        final List<Fed> results = new ArrayList<>();
        for (final int[] chunks : Feeder.splits(bytes.length)) {
            results.add(feed(codecs.get(), bytes, chunks));
        }
        return results;
    }

    private static HttpCodec codec() {
        return new HttpCodec(GET, false, TWO_XX);
    }

    @Test
    void shouldDelimitEveryKindOfResponseWhateverTheSplit() {
        final String stream = "HTTP/1.1 200 OK\r\ncontent-length: 13\r\nServer: x\r\n\r\nHello, World!"
            + "HTTP/1.1 404 Not Found\r\nContent-Length:0\r\n\r\n"
            + "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nHello\r\n1A\r\n"
            + "abcdefghijklmnopqrstuvwxyz\r\n0\r\nX-Trailer: t\r\nY: u\r\n\r\n"
            + "HTTP/1.1 204 No Content\r\n\r\n"
            + "HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n"
            + "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok";
        for (final Fed fed : everySplit(HttpCodecTest::codec, stream)) {
            assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L), fed.sink().seqs, "replies in order");
            assertEquals(List.of(200, 404, 200, 204, 304, 201), fed.statuses(), "the interim 100 is no reply");
            assertEquals(2, fed.sink().errorCount(), "the 404 and the 304 are not 2xx");
            assertEquals(Http.REJECTED_STATUS, fed.sink().errors.get(1));
            assertEquals(Http.REJECTED_STATUS, fed.sink().errors.get(4));
            assertEquals(6, fed.replies());
        }
    }

    @Test
    void shouldReadNoBodyAfterHead() {
        final String stream = "HTTP/1.1 200 OK\r\nContent-Length: 13\r\n\r\n"
            + "HTTP/1.1 200 OK\r\nContent-Length: 13\r\n\r\n";
        for (final Fed fed : everySplit(() -> new HttpCodec(GET, true, TWO_XX), stream)) {
            assertEquals(2, fed.sink().seqs.size(), "a HEAD response's Content-Length announces no body");
            assertEquals(0, fed.sink().errorCount());
        }
    }

    @Test
    void shouldEndTheConnectionAfterConnectionCloseOrAnHttp10Response() {
        for (final String last : List.of("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok",
            "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok")) {
            final String stream = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok" + last;
            for (final Fed fed : everySplit(HttpCodecTest::codec, stream)) {
                assertEquals(2, fed.sink().seqs.size(), last);
                assertEquals(ClientCodec.END_OF_CONNECTION, fed.last(), last);
            }
        }
        // HTTP/1.0 with keep-alive stays open.
        final String kept = "HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 2\r\n\r\nok";
        for (final Fed fed : everySplit(HttpCodecTest::codec, kept)) {
            assertEquals(1, fed.replies());
        }
    }

    @Test
    void shouldEndABodyWithoutLengthAtTheServersClose() {
        final String stream = "HTTP/1.0 200 OK\r\nServer: old\r\n\r\nsome body, then the server closes";
        for (final Fed fed : everySplit(HttpCodecTest::codec, stream)) {
            assertEquals(0, fed.sink().seqs.size(), "not complete before the close");
        }
        final HttpCodec codec = codec();
        final Fed fed = feed(codec, stream.getBytes(StandardCharsets.ISO_8859_1), new int[] {stream.length()});
        assertTrue(codec.onEndOfStream(fed.sink()));
        assertEquals(List.of(0L), fed.sink().seqs);
        assertFalse(codec().onEndOfStream(new RecordingSink()), "no reply under way: nothing to complete");
    }

    @Test
    void shouldAcceptTheStatusesAsked() {
        final String stream = "HTTP/1.1 404 N\r\nContent-Length: 0\r\n\r\nHTTP/1.1 301 M\r\nContent-Length: 0\r\n\r\n"
            + "HTTP/1.1 503 U\r\nContent-Length: 0\r\n\r\n";
        final Fed fed = everySplit(() -> new HttpCodec(GET, false, Http.parseStatuses("2xx,404,3xx")), stream).get(0);
        assertEquals(3, fed.sink().seqs.size());
        assertEquals(java.util.Arrays.asList(null, null, Http.REJECTED_STATUS), fed.sink().errors);
        assertThrows(IllegalArgumentException.class, () -> Http.parseStatuses("2xx,600"));
        assertThrows(IllegalArgumentException.class, () -> Http.parseStatuses("ok"));
    }

    @Test
    void shouldCloseOnAnythingItCannotParseWhateverTheSplit() {
        final String bigHeader = "X: " + "v".repeat(HttpCodec.MAX_LINE_BYTES - 100) + "\r\n";
        for (final String bad : List.of("SSH-2.0-OpenSSH_9.2\r\n", "HTTP/1.1 2x0 OK\r\n\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
            "HTTP/1.1 200 OK\r\n" + bigHeader.repeat(HttpCodec.MAX_HEAD_BYTES / bigHeader.length() + 1),
            "HTTP/1.1 200 OK\r\nX: " + "v".repeat(HttpCodec.MAX_LINE_BYTES + 1))) {
            final byte[] bytes = bad.getBytes(StandardCharsets.ISO_8859_1);
            final List<int[]> splits = bytes.length < 200 ? Feeder.splits(bytes.length)
                : List.of(new int[] {bytes.length}, new int[] {bytes.length / 2, bytes.length - bytes.length / 2});
            for (final int[] chunks : splits) {
                final Fed fed = feed(codec(), bytes, chunks);
                assertEquals(ClientCodec.MALFORMED, fed.last(), bad.substring(0, Math.min(60, bad.length())));
                assertEquals(0, fed.sink().seqs.size(), "no reply counted from a bad response");
            }
        }
    }

    @Test
    void shouldPreEncodeMethodHeadersBodyAndTheHostAsTyped() throws Exception {
        final Map<ProtocolOption<?>, List<String>> given = new LinkedHashMap<>();
        given.put(Http.METHOD, List.of("POST"));
        given.put(Http.PATH, List.of("/a", "/b"));
        given.put(Http.HEADER, List.of("X-Test: one", "Accept: */*"));
        given.put(Http.BODY, List.of("hello=1"));
        final CodecFactory codecs = Http.SPEC.client().orElseThrow().newCodecs(OptionValues.parse(given),
            new ClientSetup(new InetSocketAddress(InetAddress.getByName("localhost"), 8080), false, 64, 1, 1));
        final ClientCodec codec = codecs.newCodec(0);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[codec.maxRequestBytes()]);
        final String expected = "POST %s HTTP/1.1\r\nHost: localhost:8080\r\nUser-Agent: ringside\r\nX-Test: one\r\n"
            + "Accept: */*\r\nContent-Length: 7\r\n\r\nhello=1";
        for (int seq = 0; seq < 4; seq++) {
            final int length = codec.encode(buffer, seq, 0, 0);
            assertEquals(String.format(expected, seq % 2 == 0 ? "/a" : "/b"),
                buffer.getStringWithoutLengthAscii(0, length), "round-robin over the paths");
        }
        assertEquals("POST /a,/b with 7 B", codecs.describeRequest());
        assertThrows(IllegalArgumentException.class, () -> OptionValues.of(Http.HEADER, "no colon"));
        assertThrows(IllegalArgumentException.class, () -> OptionValues.of(Http.HEADER, "X: a\r\nY: b"));
        assertThrows(IllegalArgumentException.class, () -> OptionValues.of(Http.METHOD, "GE T"));
    }
}
