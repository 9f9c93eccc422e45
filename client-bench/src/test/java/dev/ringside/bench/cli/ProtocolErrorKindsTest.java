package dev.ringside.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.ringside.bench.record.ErrorKind;
import dev.ringside.bench.verdict.ExitStatus;
import dev.ringside.engine.protocol.OptionValues;
import dev.ringside.engine.protocol.ReplyFault;
import dev.ringside.engine.protocol.ServerEnvironment;
import dev.ringside.engine.protocol.http.Http;
import dev.ringside.engine.protocols.Protocols;
import dev.ringside.engine.testing.LoopHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A protocol's own error kinds are declared in its package ({@link ReplyFault#declare}, listed in its spec) and
 * reach every report from the registry: no shared class names them. The HTTP package's "non-2xx" kind goes
 * through a real run's text summary, JSON, HTML report and interval log, and back out of {@code merge}.
 */
class ProtocolErrorKindsTest {
    @TempDir
    Path dir;

    /**
     * Catches a registry fault without an error kind, or a kind under another key or label (a report that
     * keeps a fixed list of kinds would miss it).
     */
    @Test
    void shouldMakeEveryFaultTheRegistryDeclaresAnErrorKindOfItsOwn() {
        final Set<String> keys = new HashSet<>();
        for (final ErrorKind kind : ErrorKind.values()) {
            assertTrue(keys.add(kind.key()), "one kind per key: " + kind.key());
        }
        assertTrue(Protocols.faults().size() >= 3, "verification plus HTTP's and raw's own: " + Protocols.faults());
        for (final ReplyFault fault : Protocols.faults()) {
            final ErrorKind kind = ErrorKind.of(fault);
            assertSame(kind, ErrorKind.byKey(fault.key()), fault.key());
            assertSame(kind, ErrorKind.values().get(kind.index()), fault.key());
            assertEquals(fault.label(), kind.label());
            assertTrue(kind.endsRequest() && kind.isReplyFault(), fault.key());
            assertEquals(fault.answers(), kind.answersRequest(), fault.key());
        }
    }

    /** Catches a protocol that reports a fault it did not list in its spec: one line naming the fix. */
    @Test
    void shouldRefuseAFaultNoRegisteredProtocolDeclares() {
        final ReplyFault stray = ReplyFault.declare("strayFault", "stray fault", false);
        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
            () -> ErrorKind.of(stray));
        assertTrue(refused.getMessage().contains("'strayFault'") && refused.getMessage().contains("faults"),
            refused.getMessage());
    }

    /**
     * Catches a report or the merge listing a fixed set of kinds: remove {@code .faults(REJECTED_STATUS)} from
     * {@code Http.SPEC} and the run cannot count its responses; let {@code MergeCommand} read only the generator's
     * own kinds and the merged JSON loses them.
     */
    @Test
    @Timeout(60)
    void shouldCarryAProtocolsOwnErrorKindThroughEveryReportAndTheMerge() throws Exception {
        final Path json = dir.resolve("run.json");
        final Path hlog = dir.resolve("run.hlog");
        final Path html = dir.resolve("run.html");
        final CliRun run;
        try (LoopHarness server = new LoopHarness(LoopHarness.smallConfig())) {
            final InetSocketAddress address = server.listenTcp(Http.SPEC.server().orElseThrow()
                .newProtocol(OptionValues.defaults(), new ServerEnvironment(LoopHarness.smallConfig()
                    .ringCapacityBytes(), System.out)));
            server.startThread();
            // The server answers 200; a run that accepts only 404 counts every response as the HTTP kind.
            run = CliRun.of("bench", "--protocol", "http", "--accept-status", "404", "--target",
                "127.0.0.1:" + address.getPort(), "--connections", "2", "--rate", "200", "--duration", "500ms",
                "--warmup", "0", "--timeout", "10s", "--no-progress", "--json", json.toString(), "--hlog",
                hlog.toString(), "--report", html.toString());
        }
        assertEquals(ExitStatus.FAILED, run.status(), run.out() + run.err());
        final Matcher text = Pattern.compile("HTTP non-2xx (\\d+)").matcher(run.out());
        assertTrue(text.find(), run.out());
        final long count = Long.parseLong(text.group(1));
        assertTrue(count > 0, run.out());

        final Object summary = MiniJson.parse(Files.readString(json, StandardCharsets.UTF_8));
        assertEquals(count, ((Number) MiniJson.at(summary, "errors.httpNon2xx")).longValue());
        assertTrue(Files.readString(html, StandardCharsets.UTF_8).contains("HTTP non-2xx " + count),
            "the HTML report's error row");

        final Path merged = dir.resolve("merged.json");
        final CliRun merge = CliRun.of("merge", hlog.toString(), "--json", merged.toString());
        assertTrue(merge.out().contains("HTTP non-2xx " + count), merge.out() + merge.err());
        final Object mergedSummary = MiniJson.parse(Files.readString(merged, StandardCharsets.UTF_8));
        assertEquals(count, ((Number) MiniJson.at(mergedSummary, "errors.httpNon2xx")).longValue());
    }
}
