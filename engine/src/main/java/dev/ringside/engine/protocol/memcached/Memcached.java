package dev.ringside.engine.protocol.memcached;

import java.util.List;

import dev.ringside.engine.protocol.ClientSetup;
import dev.ringside.engine.protocol.CodecFactory;
import dev.ringside.engine.protocol.Exchange;
import dev.ringside.engine.protocol.OptionValues;
import dev.ringside.engine.protocol.ProtocolOption;
import dev.ringside.engine.protocol.ProtocolSpec;
import dev.ringside.engine.protocol.raw.DatagramCheck;
import dev.ringside.engine.protocol.raw.Raw;
import dev.ringside.engine.protocol.raw.Request;
import dev.ringside.engine.protocol.raw.RequestReplyCodec;
import dev.ringside.engine.protocol.raw.RequestRotation;

/**
 * {@code memcached}, declared once for every command: drives memcached's text protocol with {@code get} and
 * {@code set} commands ({@code --command}, the same flag as redis; a mix is written by repeating it), sent
 * round-robin; {@code VALUE ... END} replies are framed by their announced lengths, and {@code ERROR},
 * {@code CLIENT_ERROR}, {@code SERVER_ERROR} and {@code NOT_STORED} are counted as error replies. TCP (the
 * UDP form adds a frame header this does not speak), client-only.
 */
public final class Memcached {
    /** Client: a get or a set. */
    public static final ProtocolOption<Request> COMMAND = ProtocolOption.value("--command", "CMD", null,
        "get KEY... | set KEY VALUE; repeat for a round-robin mix (nine gets and a set: 9:1)",
        text -> new Request(text, MemcachedCommands.encode(text))).repeatable();

    /** The protocol. */
    public static final ProtocolSpec SPEC = ProtocolSpec.named("memcached",
            "memcached text protocol: --command \"get k\" / \"set k v\", VALUE...END framed")
        .client(List.of(COMMAND), Exchange.REQUEST_REPLY, Memcached::client)
        .faults(Raw.ERROR_REPLY)
        .build();

    private Memcached() {
    }

    private static CodecFactory client(final OptionValues options, final ClientSetup setup) {
        final List<Request> commands = options.all(COMMAND);
        if (commands.isEmpty()) {
            throw new IllegalArgumentException("memcached needs at least one --command: \"get KEY\" or "
                + "\"set KEY VALUE\"");
        }
        final RequestRotation requests = new RequestRotation(Request.wireBytes(commands));
        final String description = Request.describe(commands);
        return new CodecFactory() {
            @Override
            public RequestReplyCodec newCodec(final int connectionId) {
                return new RequestReplyCodec(requests, new MemcachedReplyFramer(), DatagramCheck.ANY);
            }

            @Override
            public String describeRequest() {
                return description;
            }
        };
    }
}
