package dev.ringside.engine.protocol.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import dev.ringside.engine.protocol.ClientSetup;
import dev.ringside.engine.protocol.CodecFactory;
import dev.ringside.engine.protocol.Exchange;
import dev.ringside.engine.protocol.OptionValues;
import dev.ringside.engine.protocol.ProtocolOption;
import dev.ringside.engine.protocol.ProtocolSpec;
import dev.ringside.engine.protocol.ReplyFault;
import dev.ringside.engine.protocol.ServerEnvironment;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * {@code http}, declared once for every command: HTTP/1.1 over TCP. The server answers GET and HEAD with a
 * fixed plaintext body (what wrk is pointed at); the generator sends keep-alive requests and parses the
 * responses.
 */
public final class Http {
    /** Server: the largest request head. */
    public static final ProtocolOption<Integer> MAX_HEADER = ProtocolOption.bytes("--max-header", "8k", 64,
        "largest request line + headers; larger gets 431");
    /** Client: request paths, sent round-robin. */
    public static final ProtocolOption<String> PATH = ProtocolOption.value("--path", "PATH", "/",
        "request path; repeat for several, sent round-robin", Http::checkPath).repeatable();
    /** Client: the request method. */
    public static final ProtocolOption<String> METHOD = ProtocolOption.value("--method", "METHOD", "GET",
        "request method (HEAD responses are read without a body)", Http::checkMethod);
    /** Client: extra request headers. */
    public static final ProtocolOption<String> HEADER = ProtocolOption.value("--header", "'NAME: VALUE'", null,
        "request header", Http::checkHeader).repeatable().alias("-H");
    /** Client: a request body given inline. */
    public static final ProtocolOption<String> BODY = ProtocolOption.value("--body", "TEXT", null,
        "request body (Content-Length is set)", text -> text);
    /** Client: a request body read from a file. */
    public static final ProtocolOption<byte[]> BODY_FILE = ProtocolOption.value("--body-file", "FILE", null,
        "request body from a file (Content-Length is set)", Http::readFile);
    /** Client: the statuses that are not errors. */
    public static final ProtocolOption<boolean[]> ACCEPT_STATUS = ProtocolOption.value("--accept-status",
        "LIST", "2xx", "statuses that are not errors, e.g. 200,301,404 or 2xx,3xx", Http::parseStatuses);

    /**
     * A well-formed response whose status the run does not accept (outside 2xx, and not listed by
     * {@code --accept-status}). It answers its request, so its latency is still recorded, as wrk records it.
     */
    public static final ReplyFault REJECTED_STATUS = ReplyFault.declare("httpNon2xx", "HTTP non-2xx", true);

    /** The protocol. */
    public static final ProtocolSpec SPEC = ProtocolSpec.named("http",
        "HTTP/1.1; server: GET/HEAD 'Hello, World!' for wrk; client: any method, headers, body")
        // The default head limit must be smaller than the ring: a request head is held whole.
        .server(List.of(MAX_HEADER), 2 * HttpProtocol.DEFAULT_MAX_HEADER_BYTES, Http::server)
        .client(List.of(PATH, METHOD, HEADER, BODY, BODY_FILE, ACCEPT_STATUS), Exchange.REQUEST_REPLY, Http::client)
        .faults(REJECTED_STATUS)
        .build();

    private Http() {
    }

    private static HttpProtocol server(final OptionValues options, final ServerEnvironment environment) {
        final int maxHeader = options.get(MAX_HEADER);
        if (maxHeader >= environment.ringCapacityBytes()) {
            throw new IllegalArgumentException("--max-header " + maxHeader + " must be smaller than --ring-capacity ("
                + environment.ringCapacityBytes() + " bytes); raise --ring-capacity or lower --max-header");
        }
        return new HttpProtocol(maxHeader);
    }

    private static CodecFactory client(final OptionValues options, final ClientSetup setup) {
        if (options.isSet(BODY) && options.isSet(BODY_FILE)) {
            throw new IllegalArgumentException("--body and --body-file exclude each other");
        }
        final byte[] body = options.isSet(BODY) ? options.get(BODY).getBytes(StandardCharsets.UTF_8)
            : options.get(BODY_FILE);
        final String method = options.get(METHOD);
        final List<String> paths = options.all(PATH);
        final UnsafeBuffer[] requests = new UnsafeBuffer[paths.size()];
        for (int i = 0; i < requests.length; i++) {
            requests[i] = new UnsafeBuffer(request(method, paths.get(i), hostHeader(setup.target()),
                options.all(HEADER), body));
        }
        final boolean head = "HEAD".equals(method);
        final boolean[] accepted = options.get(ACCEPT_STATUS);
        return new CodecFactory() {
            @Override
            public HttpCodec newCodec(final int connectionId) {
                return new HttpCodec(requests, head, accepted);
            }

            @Override
            public String describeRequest() {
                return method + " " + String.join(",", paths) + (body == null ? "" : " with " + body.length + " B");
            }
        };
    }

    /**
     * Encodes one request, once, at start-up (the hot path only copies it).
     *
     * @param method  the method
     * @param path    the path
     * @param host    the {@code Host} value, unless a header names one
     * @param headers {@code Name: value} lines
     * @param body    the body, or {@code null}
     * @return the request's bytes
     */
    static byte[] request(final String method, final String path, final String host, final List<String> headers,
        final byte[] body) {
        final StringBuilder head = new StringBuilder().append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
        if (headers.stream().noneMatch(header -> named(header, "host"))) {
            head.append("Host: ").append(host).append("\r\n");
        }
        if (headers.stream().noneMatch(header -> named(header, "user-agent"))) {
            head.append("User-Agent: ringside\r\n");
        }
        for (final String header : headers) {
            head.append(header).append("\r\n");
        }
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        final byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        final byte[] bytes = Arrays.copyOf(headBytes, headBytes.length + (body == null ? 0 : body.length));
        if (body != null) {
            System.arraycopy(body, 0, bytes, headBytes.length, body.length);
        }
        return bytes;
    }

    private static boolean named(final String header, final String lowerCaseName) {
        final int colon = header.indexOf(':');
        return header.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(lowerCaseName);
    }

    /** The {@code Host} header: the target's name as typed (not its resolved address), and its port. */
    static String hostHeader(final InetSocketAddress target) {
        final String name = target.getHostString();
        return (name.indexOf(':') >= 0 ? "[" + name + "]" : name) + ":" + target.getPort();
    }

    private static String checkMethod(final String method) {
        if (method.isEmpty() || !method.chars().allMatch(Http::isTokenChar)) {
            throw new IllegalArgumentException("must be a token such as GET, POST or HEAD");
        }
        return method;
    }

    private static String checkHeader(final String header) {
        final int colon = header.indexOf(':');
        if (colon <= 0 || !header.substring(0, colon).chars().allMatch(Http::isTokenChar)
            || header.chars().anyMatch(c -> c == '\r' || c == '\n' || c > 0xFF)) {
            throw new IllegalArgumentException("must be 'Name: value' on one line");
        }
        return header;
    }

    private static boolean isTokenChar(final int c) {
        return c > 0x20 && c < 0x7F && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
    }

    private static byte[] readFile(final String name) {
        try {
            return Files.readAllBytes(Path.of(name));
        } catch (final IOException ex) {
            throw new IllegalArgumentException("cannot read it: " + ex.getMessage(), ex);
        }
    }

    /** Parses {@code 200,301,404} or {@code 2xx,3xx} (or a mix) into a table indexed by status. */
    static boolean[] parseStatuses(final String list) {
        final boolean[] accepted = new boolean[600];
        for (final String item : list.split(",")) {
            final String entry = item.trim().toLowerCase(Locale.ROOT);
            if (entry.matches("[1-5]xx")) {
                final int from = (entry.charAt(0) - '0') * 100;
                Arrays.fill(accepted, from, from + 100, true);
            } else if (entry.matches("[1-5][0-9][0-9]")) {
                accepted[Integer.parseInt(entry)] = true;
            } else {
                throw new IllegalArgumentException("'" + item + "' is neither a status (100..599) nor a class (2xx)");
            }
        }
        return accepted;
    }

    private static String checkPath(final String path) {
        if (!path.startsWith("/") || path.indexOf(' ') >= 0) {
            throw new IllegalArgumentException("must start with / and hold no spaces");
        }
        return path;
    }
}
