package dev.ringside.bench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import dev.ringside.engine.model.ServerModel;
import dev.ringside.engine.protocol.http.Http;
import org.junit.jupiter.api.Test;

/** What each model's server is started with, and how the server JVM's release is told. */
class CompareSettingsTest {
    @Test
    void shouldGiveEachModelOnlyItsOwnOptionAndEveryModelTheSameRings() {
        final CompareSettings settings = new CompareSettings()
            .models(List.of(ServerModel.POOL, ServerModel.PROCESS, ServerModel.MULTI, ServerModel.THREAD))
            .connections(List.of(10, 100_000))
            .modelOptions(200, 3, 2)
            .validate();
        final List<String> common = List.of("--protocol", "echo", "--tcp", "127.0.0.1:0", "--no-counters-file",
            "--ring-capacity", "4096", "--pool-size", Long.toString(4L * 4096 * 100_000));
        for (final ServerModel model : settings.models()) {
            final List<String> args = settings.server(model).arguments();
            assertEquals(List.of("server", "--model", model.label()), args.subList(0, 3));
            assertTrue(args.containsAll(common), args.toString());
            assertEquals(model == ServerModel.POOL, args.contains("--threads"), args.toString());
            assertEquals(model == ServerModel.PROCESS, args.contains("--workers"), args.toString());
            assertEquals(model == ServerModel.MULTI, args.contains("--loops"), args.toString());
        }
        assertEquals("200", after(settings.server(ServerModel.POOL).arguments(), "--threads"));
        assertEquals("3", after(settings.server(ServerModel.PROCESS).arguments(), "--workers"));
        assertEquals("2", after(settings.server(ServerModel.MULTI).arguments(), "--loops"));
    }

    @Test
    void shouldPassTheMachinesCpuCountWhenModelOptionsAreNotGivenAndFitHttpHeadsInTheRings() {
        final CompareSettings settings = new CompareSettings()
            .models(List.of(ServerModel.POOL, ServerModel.PROCESS, ServerModel.MULTI))
            .connections(List.of(10)).protocol(Http.SPEC).validate();
        // Explicit, because a server pinned to one CPU would default to one loop, worker or thread.
        final String cpus = Integer.toString(Runtime.getRuntime().availableProcessors());
        assertEquals(cpus, after(settings.server(ServerModel.POOL).arguments(), "--threads"));
        assertEquals(cpus, after(settings.server(ServerModel.PROCESS).arguments(), "--workers"));
        assertEquals(cpus, after(settings.server(ServerModel.MULTI).arguments(), "--loops"));
        assertEquals("16384", after(settings.server(ServerModel.POOL).arguments(), "--ring-capacity"));
        assertEquals(Long.toString(CompareSettings.MIN_POOL_BYTES),
            after(settings.server(ServerModel.POOL).arguments(), "--pool-size"));
    }

    @Test
    void shouldTellJavaReleasesFromTheirVersionLine() {
        assertEquals(17, JavaVersion.parse("openjdk version \"17.0.15\" 2025-04-15\nOpenJDK Runtime ..."));
        assertEquals(25, JavaVersion.parse("openjdk version \"25\" 2025-09-16"));
        assertEquals(21, JavaVersion.parse("java version \"21.0.2\" 2024-01-16 LTS"));
        assertEquals(8, JavaVersion.parse("java version \"1.8.0_392\""));
        assertEquals(-1, JavaVersion.parse("bash: java: command not found"));
        assertEquals(Runtime.version().feature(), JavaVersion.of(ServerChild.currentJava()));
    }

    private static String after(final List<String> args, final String option) {
        return args.get(args.indexOf(option) + 1);
    }
}
