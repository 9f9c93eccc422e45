package dev.ringside.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import dev.ringside.engine.protocol.ProtocolSpec;
import dev.ringside.engine.protocols.Protocols;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One conformance suite for every server model: each protocol's conversation runs against each model,
 * built as {@code ringside server --model M --protocol P} builds it, over TCP and UDP on loopback.
 *
 * <p>The protocols come from the registry ({@link Protocols#servable()}): a protocol Ringside serves without a
 * conversation here fails {@link #shouldHoldAConversationWithEveryProtocolTheRegistryServes}. Adding one is a
 * line in {@link #PROTOCOLS}: its name, its server flags and its conversation in {@link Conversations}. Adding a
 * model is automatic: every {@link ServerModel} is in the matrix. Where a
 * model cannot hold a conversation as the others do, the conversation checks what that model does instead
 * (the iterative model's room of one member; multi's one-line refusal of a room split across loops), so no
 * cell is skipped silently.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ModelConformanceTest {
    /** The protocols, the server flags each is started with, and how a client talks to each. */
    static final List<ProtocolCase> PROTOCOLS = List.of(
        new ProtocolCase("echo", "echo", List.of(), Conversations::echo),
        new ProtocolCase("discard", "discard", List.of(), Conversations::discard),
        new ProtocolCase("chat delivery", "chat", List.of("--max-line", "1024"), Conversations::chat),
        new ProtocolCase("chat slow subscriber", "chat", List.of("--max-line", "1024"),
            Conversations::slowChatSubscriber),
        new ProtocolCase("chat with names", "chat", List.of("--max-line", "1024", "--names"), Conversations::namedChat),
        new ProtocolCase("http pipelining", "http", List.of("--max-header", "2048"), Conversations::httpPipelining),
        new ProtocolCase("rr", "rr", List.of("--response-size", Integer.toString(Conversations.RR_RESPONSE_BYTES)),
            Conversations::rr),
        new ProtocolCase("sockperf", "sockperf", List.of(), Conversations::sockperf)
    );

    static List<Arguments> matrix() {
        final List<Arguments> cells = new ArrayList<>();
        for (final ServerModel model : ServerModel.values()) {
            for (final ProtocolCase protocol : PROTOCOLS) {
                cells.add(Arguments.of(model, protocol));
            }
        }
        return cells;
    }

    @Test
    void shouldHoldAConversationWithEveryProtocolTheRegistryServes() {
        final Set<String> covered = new TreeSet<>();
        for (final ProtocolCase protocol : PROTOCOLS) {
            covered.add(protocol.protocol());
        }
        final Set<String> served = new TreeSet<>();
        for (final ProtocolSpec spec : Protocols.servable()) {
            served.add(spec.name());
        }
        assertEquals(served, covered, "every protocol the registry serves needs a conversation in PROTOCOLS");
    }

    @ParameterizedTest(name = "{0} serves {1}")
    @MethodSource("matrix")
    void shouldServeEveryProtocolOnEveryModel(final ServerModel model, final ProtocolCase protocol) throws Exception {
        SelectedModels.assume(model);
        final boolean udp = Protocols.servable(protocol.protocol()).datagrams();
        if (model == ServerModel.MULTI && ModelServer.sharesState(protocol.protocol())) {
            // One room cannot be split across loops: the command refuses in one line rather than serve half
            // a room. (The process model serves it with one worker; see ModelServer.)
            final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> ModelServer.start(model, protocol.protocol(), protocol.flags(), udp).close());
            assertTrue(refused.getMessage().contains("drop --loops"), refused.getMessage());
            return;
        }
        try (ModelServer server = ModelServer.start(model, protocol.protocol(), protocol.flags(), udp)) {
            protocol.conversation().run(server);
        }
    }

    /**
     * A conversation in the suite.
     *
     * @param name         what the case checks
     * @param protocol     the protocol's name
     * @param flags        its options on the server's command line
     * @param conversation what a client says and checks
     */
    record ProtocolCase(String name, String protocol, List<String> flags, Conversations.Conversation conversation) {
        @Override
        public String toString() {
            return name;
        }
    }
}
