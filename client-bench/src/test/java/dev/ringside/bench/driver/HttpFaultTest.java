package dev.ringside.bench.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.ringside.bench.record.BenchResult;
import dev.ringside.bench.record.ErrorKind;
import dev.ringside.engine.buffer.ByteRing;
import dev.ringside.engine.protocol.Outbound;
import dev.ringside.engine.protocol.Protocol;
import dev.ringside.engine.protocol.http.Http;
import dev.ringside.engine.protocol.http.HttpCodec;
import dev.ringside.engine.testing.LoopHarness;
import dev.ringside.engine.testing.StreamOnlyProtocol;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Servers that answer HTTP requests with garbage, an oversized head or a bad chunk size, over real sockets: each
 * such connection is closed and counted as a protocol error, and the run ends on time (no hang waiting for a reply
 * that cannot be parsed).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpFaultTest {
    /** Answers every read with the same bytes, whatever came in. */
    private static Protocol answering(final String reply) {
        final UnsafeBuffer bytes = new UnsafeBuffer(reply.getBytes(StandardCharsets.ISO_8859_1));
        return StreamOnlyProtocol.perConnection("answering", context -> (ByteRing inbound, Outbound out) -> {
            inbound.consume(inbound.readableBytes());
            out.write(bytes, 0, bytes.capacity());
            return 1;
        });
    }

    @Test
    void shouldCountEachUnparsableResponseAsAProtocolErrorAndEndOnTime() throws Exception {
        final String header = "X-Filler: " + "v".repeat(1000) + "\r\n";
        for (final String reply : List.of("this is not http\r\n\r\n",
            "HTTP/1.1 200 OK\r\n" + header.repeat(HttpCodec.MAX_HEAD_BYTES / header.length() + 1),
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nnot-hex\r\n")) {
            try (LoopHarness server = new LoopHarness(LoopHarness.smallConfig().ringCapacityBytes(128 * 1024))) {
                final InetSocketAddress address = server.listenTcp(answering(reply));
                server.startThread();
                final long startNs = System.nanoTime();
                // A 20 s timeout: a run that waited on it would take over 20 s, far from the ~1 s a prompt one
                // takes even at a load of 10-30 on 2 cores (the old bound, 5 s, was above a 2 s timeout's wait).
                final BenchResult result = TestServers.run(TestServers.quick(address).protocol(Http.SPEC)
                    .connections(3).timeoutNs(20_000_000_000L));
                final long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
                final String what = reply.substring(0, 20);
                // Catches: a bad response read as a reply (completed > 0) or waited on until the timeout.
                assertEquals(3, result.errorCount(ErrorKind.PROTOCOL), what + ": " + result.errors());
                assertEquals(0, result.completed(), what);
                assertEquals(0, result.errorCount(ErrorKind.RESPONSE_TIMEOUT), what);
                assertTrue(tookMs < 10_000, what + ": took " + tookMs + " ms");
            }
        }
    }
}
