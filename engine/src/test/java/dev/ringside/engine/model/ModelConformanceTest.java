package dev.ringside.engine.model;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One conformance suite for every server model: each protocol's conversation runs against each model,
 * built as {@code ringside server --model M --protocol P} builds it, over TCP and UDP on loopback.
 *
 * <p>Adding a protocol is one line in {@link #PROTOCOLS}: its name and its conversation in
 * {@link Conversations}. Adding a model is automatic: every {@link ServerModel} is in the matrix.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ModelConformanceTest {
    /** The protocols and how a client talks to each; chat, rr, http and sockperf join here when merged. */
    static final List<ProtocolCase> PROTOCOLS = List.of(
        new ProtocolCase("echo", Conversations::echo),
        new ProtocolCase("discard", Conversations::discard)
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

    @ParameterizedTest(name = "{0} serves {1}")
    @MethodSource("matrix")
    void shouldServeEveryProtocolOnEveryModel(final ServerModel model, final ProtocolCase protocol) throws Exception {
        assumeTrue(model != ServerModel.VIRTUAL || VirtualThreads.available(),
            "virtual threads need JDK 21+; this is JDK " + Runtime.version().feature());
        try (ModelServer server = ModelServer.start(model, protocol.name(), true)) {
            protocol.conversation().run(server);
        }
    }

    /** A protocol in the suite. */
    record ProtocolCase(String name, Conversations.Conversation conversation) {
        @Override
        public String toString() {
            return name;
        }
    }
}
