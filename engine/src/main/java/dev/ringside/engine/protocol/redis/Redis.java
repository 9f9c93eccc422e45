package dev.ringside.engine.protocol.redis;

import java.util.ArrayList;
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
 * {@code redis}, declared once for every command: drives a Redis server (or anything speaking RESP2) with the
 * {@code --command}s given, round-robin, each encoded once at start-up; replies are framed by their RESP
 * type, and error replies ({@code -ERR}, {@code -WRONGTYPE}, ...) are counted as such. TCP, client-only.
 */
public final class Redis {
    /** Client: a command. */
    public static final ProtocolOption<Request> COMMAND = ProtocolOption.value("--command", "CMD", null,
        "a command in words, quoted as redis-cli does (\"SET k v\"); repeat for a round-robin mix; redis: default"
            + " PING; memcached: get KEY... | set KEY VALUE",
        text -> new Request(text, RespCommands.encode(text))).repeatable();

    /** The protocol. */
    public static final ProtocolSpec SPEC = ProtocolSpec.named("redis",
            "Redis (RESP2): --command \"SET k v\", replies framed by type, -ERR counted")
        .client(List.of(COMMAND), Exchange.REQUEST_REPLY, Redis::client)
        .faults(Raw.ERROR_REPLY)
        .build();

    private Redis() {
    }

    private static CodecFactory client(final OptionValues options, final ClientSetup setup) {
        final List<Request> commands = new ArrayList<>(options.all(COMMAND));
        if (commands.isEmpty()) {
            commands.add(new Request("PING", RespCommands.encode("PING")));
        }
        final RequestRotation requests = new RequestRotation(Request.wireBytes(commands));
        final String description = Request.describe(commands);
        return new CodecFactory() {
            @Override
            public RequestReplyCodec newCodec(final int connectionId) {
                return new RequestReplyCodec(requests, new RespReplyFramer(), DatagramCheck.ANY);
            }

            @Override
            public String describeRequest() {
                return description;
            }
        };
    }
}
