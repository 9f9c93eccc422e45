package dev.ringside.engine.model;

import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.ringside.bench.server.ServerMain;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The process model's column of the engine's {@link ModelConformanceTest}: every protocol's conversation against
 * worker processes that run the real {@code server} command. The engine has no command line, so it skips these
 * cells and they run here, from the same list of protocols and conversations.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProcessModelConformanceTest {
    @BeforeAll
    static void startWorkersWithTheServerCommand() {
        ModelServer.workerCommand = WorkerLaunch.currentJvm(ServerMain.class.getName());
    }

    @AfterAll
    static void forgetTheCommand() {
        ModelServer.workerCommand = List.of();
    }

    static List<ModelConformanceTest.ProtocolCase> protocols() {
        return ModelConformanceTest.PROTOCOLS;
    }

    @ParameterizedTest(name = "process serves {0}")
    @MethodSource("protocols")
    void shouldServeEveryProtocolWithWorkerProcesses(final ModelConformanceTest.ProtocolCase protocol)
        throws Exception {
        new ModelConformanceTest().shouldServeEveryProtocolOnEveryModel(ServerModel.PROCESS, protocol);
    }
}
