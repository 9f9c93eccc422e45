package dev.ringside.engine.protocol.http;

import java.net.InetSocketAddress;
import java.util.List;

import dev.ringside.engine.protocol.ClientSetup;
import dev.ringside.engine.protocol.CodecFactory;
import dev.ringside.engine.protocol.Exchange;
import dev.ringside.engine.protocol.OptionValues;
import dev.ringside.engine.protocol.ProtocolOption;
import dev.ringside.engine.protocol.ProtocolSpec;
import dev.ringside.engine.protocol.ServerEnvironment;

/**
 * {@code http}, declared once for every command: HTTP/1.1 over TCP. The server answers GET and HEAD with a
 * fixed plaintext body (what wrk is pointed at); the generator sends keep-alive requests and parses the
 * responses.
 */
public final class Http {
    /** Server: the largest request head. */
    public static final ProtocolOption<Integer> MAX_HEADER = ProtocolOption.bytes("--max-header", "8k", 64,
        "largest request line + headers; larger gets 431");
    /** Client: the request path. */
    public static final ProtocolOption<String> PATH = ProtocolOption.value("--path", "PATH", "/", "request path",
        Http::checkPath);

    /** The protocol. */
    public static final ProtocolSpec SPEC = ProtocolSpec.named("http", "HTTP/1.1 GET/HEAD 'Hello, World!' for wrk")
        // The default head limit must be smaller than the ring: a request head is held whole.
        .server(List.of(MAX_HEADER), 2 * HttpProtocol.DEFAULT_MAX_HEADER_BYTES, Http::server)
        .client(List.of(PATH), Exchange.REQUEST_REPLY, Http::client)
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
        final String path = options.get(PATH);
        final String host = hostHeader(setup.target());
        return new CodecFactory() {
            @Override
            public HttpCodec newCodec(final int connectionId) {
                return new HttpCodec(path, host);
            }

            @Override
            public String describeRequest() {
                return "GET " + path;
            }
        };
    }

    /** The {@code Host} header: the target's name as typed (not its resolved address), and its port. */
    static String hostHeader(final InetSocketAddress target) {
        final String name = target.getHostString();
        return (name.indexOf(':') >= 0 ? "[" + name + "]" : name) + ":" + target.getPort();
    }

    private static String checkPath(final String path) {
        if (!path.startsWith("/") || path.indexOf(' ') >= 0) {
            throw new IllegalArgumentException("must start with / and hold no spaces");
        }
        return path;
    }
}
