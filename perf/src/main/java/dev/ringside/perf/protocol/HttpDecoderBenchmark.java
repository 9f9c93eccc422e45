package dev.ringside.perf.protocol;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import dev.ringside.engine.buffer.ByteRing;
import dev.ringside.engine.protocol.Protocol;
import dev.ringside.engine.protocol.Session;
import dev.ringside.engine.protocol.SessionContext;
import dev.ringside.engine.protocol.http.HttpProtocol;
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
 * The {@code http} session decoding GET requests from a ring and appending its pre-built response: one
 * operation is one read holding {@code pipelined} requests ({@code 1}: keep-alive, one at a time, as wrk;
 * {@code 16}: pipelined, as wrk with a pipelining script). {@code wrk} is wrk's two-header request,
 * {@code browser} a typical browser request of 468 bytes with ten headers. Time per request is the
 * score divided by {@code pipelined}; {@code gc.alloc.rate.norm} should be ~0 B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class HttpDecoderBenchmark {
    private static final int RING_BYTES = 64 * 1024;
    private static final String WRK = "GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n";
    private static final String BROWSER = "GET /index.html?user=42&page=7 HTTP/1.1\r\n"
        + "Host: www.example.com\r\n"
        + "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0\r\n"
        + "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
        + "Accept-Language: en-GB,en;q=0.5\r\n"
        + "Accept-Encoding: gzip, deflate, br\r\n"
        + "Connection: keep-alive\r\n"
        + "Cookie: session=0123456789abcdef0123456789abcdef; theme=dark; tz=UTC\r\n"
        + "Upgrade-Insecure-Requests: 1\r\n"
        + "Sec-Fetch-Dest: document\r\n"
        + "Sec-Fetch-Mode: navigate\r\n"
        + "\r\n";

    @Param({"wrk", "browser"})
    String request;

    @Param({"1", "16"})
    int pipelined;

    private ByteRing inbound;
    private RecordingOutbound out;
    private Session session;
    private UnsafeBuffer read;

    /** Builds one read's worth of requests and the session. */
    @Setup
    public void setup() {
        final Protocol protocol = new HttpProtocol(HttpProtocol.DEFAULT_MAX_HEADER_BYTES);
        session = protocol.newSession(new SessionContext(1, "127.0.0.1:1", "127.0.0.1:2"));
        inbound = ByteRing.allocate(RING_BYTES);
        out = new RecordingOutbound(RING_BYTES);
        final String one = "wrk".equals(request) ? WRK : BROWSER;
        read = new UnsafeBuffer(one.repeat(pipelined).getBytes(StandardCharsets.US_ASCII));
    }

    /** @return requests decoded and answered (always {@code pipelined}) */
    @Benchmark
    public int decodeAndRespond() {
        inbound.write(read, 0, read.capacity());
        final int requests = session.onData(inbound, out);
        out.drain();
        return requests;
    }

    /** Checks that every request was answered and the connection kept alive. */
    @TearDown
    public void check() {
        if (out.closes() != 0 || !inbound.isEmpty()) {
            throw new IllegalStateException("http session closed or left input: " + inbound);
        }
    }
}
