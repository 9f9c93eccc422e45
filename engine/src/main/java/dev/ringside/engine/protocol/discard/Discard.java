package dev.ringside.engine.protocol.discard;

import java.util.List;

import dev.ringside.engine.protocol.ProtocolOption;
import dev.ringside.engine.protocol.ProtocolSpec;

/**
 * {@code discard}, declared once for every command: reads and drops everything, TCP and UDP. Server only: it
 * never replies, so the generator has nothing to measure.
 */
public final class Discard {
    /** {@code --print}: the classic sink server. */
    public static final ProtocolOption<Boolean> PRINT =
        ProtocolOption.flag("--print", "print each received line with its client");

    /** The protocol. */
    public static final ProtocolSpec SPEC = ProtocolSpec.named("discard", "drop everything (--print shows lines)")
        .datagrams()
        .server(List.of(PRINT), 0,
            (options, environment) -> new DiscardProtocol(options.get(PRINT) ? environment.out() : null))
        .build();

    private Discard() {
    }
}
