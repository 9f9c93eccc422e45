package dev.ringside.engine.protocol.rr;

import java.util.List;

import dev.ringside.engine.protocol.Exchange;
import dev.ringside.engine.protocol.OptionValues;
import dev.ringside.engine.protocol.ProtocolOption;
import dev.ringside.engine.protocol.ProtocolSpec;
import dev.ringside.engine.protocol.ServerEnvironment;
import dev.ringside.engine.protocol.SizeRule;

/**
 * {@code rr}, declared once for every command: a 4-byte length and a payload, one reply each (netperf
 * {@code TCP_RR}). TCP and UDP.
 */
public final class Rr {
    /** Server: the reply's payload size. */
    public static final ProtocolOption<Integer> RESPONSE_SIZE = ProtocolOption.bytes("--response-size", null, 0,
        "payload bytes of every reply (default: the request's, i.e. echo the frame)");

    /** The protocol. A UDP request carries its sequence number in its payload, hence its minimum. */
    public static final ProtocolSpec SPEC = ProtocolSpec.named("rr", "4-byte length + payload, one reply each")
        .datagrams()
        .size(new SizeRule(true, "rr request payload", 0, Long.BYTES, SizeRule.MAX_TCP_BYTES,
            RrProtocol.HEADER_BYTES, true))
        .server(List.of(RESPONSE_SIZE), 0, Rr::server)
        .client(List.of(), Exchange.REQUEST_REPLY, (options, setup) -> id -> new RrCodec(id, setup.size()))
        .build();

    private Rr() {
    }

    private static RrProtocol server(final OptionValues options, final ServerEnvironment environment) {
        if (!options.isSet(RESPONSE_SIZE)) {
            return new RrProtocol(RrProtocol.SAME_AS_REQUEST, environment.ringCapacityBytes());
        }
        final int bytes = options.get(RESPONSE_SIZE);
        if ((long) bytes + RrProtocol.HEADER_BYTES > environment.ringCapacityBytes()) {
            throw new IllegalArgumentException("--response-size " + bytes + " plus its 4-byte length must fit "
                + "--ring-capacity (" + environment.ringCapacityBytes() + " bytes); raise --ring-capacity");
        }
        return new RrProtocol(bytes, environment.ringCapacityBytes());
    }
}
