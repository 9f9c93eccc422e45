package dev.ringside.engine.protocol.echo;

import java.util.List;

import dev.ringside.engine.protocol.Exchange;
import dev.ringside.engine.protocol.ProtocolOption;
import dev.ringside.engine.protocol.ProtocolSpec;
import dev.ringside.engine.protocol.SizeRule;

/** {@code echo}, declared once for every command: bytes back as received, TCP and UDP. */
public final class Echo {
    /** Client: count replies by length instead of checking their bytes. */
    public static final ProtocolOption<Boolean> NO_VERIFY = ProtocolOption.flag("--no-verify",
        "TCP: count each reply by its length without checking its bytes (prices verification; damage goes unseen)");

    /** The protocol. A UDP request carries its sequence number in its first 8 bytes, hence its minimum. */
    public static final ProtocolSpec SPEC = ProtocolSpec.named("echo", "bytes back as received")
        .datagrams()
        .size(new SizeRule(true, "echo payload", 1, Long.BYTES, SizeRule.MAX_TCP_BYTES, 0, false))
        .server(List.of(), 0, (options, environment) -> new EchoProtocol())
        .client(List.of(NO_VERIFY), Exchange.REQUEST_REPLY, (options, setup) -> {
            final boolean verify = !options.get(NO_VERIFY);
            return id -> new EchoCodec(id, setup.size(), verify);
        })
        .build();

    private Echo() {
    }
}
