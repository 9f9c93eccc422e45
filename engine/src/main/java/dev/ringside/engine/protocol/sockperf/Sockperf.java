package dev.ringside.engine.protocol.sockperf;

import java.util.List;

import dev.ringside.engine.protocol.Exchange;
import dev.ringside.engine.protocol.ProtocolSpec;
import dev.ringside.engine.protocol.SizeRule;

/**
 * {@code sockperf}, declared once for every command: the real sockperf tool's wire format; the server answers
 * the sockperf client as {@code sockperf server} does, the generator drives a real {@code sockperf server}.
 * TCP and UDP.
 */
public final class Sockperf {
    /** The protocol: a message is at least its 14-byte header. */
    public static final ProtocolSpec SPEC = ProtocolSpec.named("sockperf", "answers the sockperf client")
        .datagrams()
        .size(new SizeRule(true, "sockperf message", SockperfProtocol.HEADER_BYTES, SockperfProtocol.HEADER_BYTES,
            SizeRule.MAX_TCP_BYTES, 0, true))
        .server(List.of(), 0, (options, environment) -> new SockperfProtocol(environment.ringCapacityBytes()))
        .client(List.of(), Exchange.REQUEST_REPLY, (options, setup) -> id -> new SockperfCodec(id, setup.size()))
        .build();

    private Sockperf() {
    }
}
