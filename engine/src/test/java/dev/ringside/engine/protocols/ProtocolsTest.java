package dev.ringside.engine.protocols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.ringside.engine.protocol.Exchange;
import dev.ringside.engine.protocol.OptionValues;
import dev.ringside.engine.protocol.ProtocolOption;
import dev.ringside.engine.protocol.ProtocolSpec;
import dev.ringside.engine.protocol.SizeRule;
import dev.ringside.engine.protocol.chat.Chat;
import dev.ringside.engine.protocol.echo.EchoCodec;
import org.junit.jupiter.api.Test;

/** The registry's invariants, and what the server command makes of it. */
class ProtocolsTest {
    /** A protocol only the generator speaks, as redis will be: no server side. */
    private static final ProtocolSpec CLIENT_ONLY = ProtocolSpec.named("redis", "drive a real redis-server")
        .size(SizeRule.none())
        .client(List.of(), Exchange.REQUEST_REPLY, (options, setup) -> id -> new EchoCodec(id, 1))
        .build();

    @Test
    void shouldNameEveryProtocolOnceWithAHelpLineAndASide() {
        final Set<String> names = new HashSet<>();
        for (final ProtocolSpec spec : Protocols.ALL) {
            assertTrue(names.add(spec.name()), "named twice: " + spec.name());
            assertFalse(spec.help().isBlank(), spec.name());
            assertTrue(spec.server().isPresent() || spec.client().isPresent(), spec.name());
            assertEquals(spec, Protocols.find(spec.name().toUpperCase(java.util.Locale.ROOT)).orElseThrow());
        }
    }

    @Test
    void shouldGiveEveryOptionALongNameAHelpLineAndAParsableDefault() {
        for (final ProtocolSpec spec : Protocols.ALL) {
            for (final ProtocolOption<?> option : Protocols.bothSides(spec)) {
                assertTrue(option.name().startsWith("--"), option.name());
                assertFalse(option.help().isBlank(), option.name());
                // A default that does not parse would fail only when a user leaves the option out.
                OptionValues.defaults().get(option);
            }
        }
    }

    @Test
    void shouldSayInOneLineThatAClientOnlyProtocolHasNoServer() {
        final List<ProtocolSpec> registry = List.of(Chat.SPEC, CLIENT_ONLY);
        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
            () -> Protocols.servable("redis", registry));
        assertEquals("protocol redis is client-only: Ringside has no redis server (drive a real one with "
            + "'ringside bench --protocol redis')", refused.getMessage());
        assertEquals(CLIENT_ONLY, Protocols.drivable("redis", registry));
        assertEquals(List.of(Chat.SPEC), Protocols.servable(registry));
        final IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
            () -> Protocols.servable("nope", registry));
        assertEquals("unknown protocol 'nope' (known: chat)", unknown.getMessage());
    }

    @Test
    void shouldRefuseAServerOnlyProtocolInTheGenerator() {
        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
            () -> Protocols.drivable("discard"));
        assertTrue(refused.getMessage().startsWith("protocol discard is server-only"), refused.getMessage());
    }
}
