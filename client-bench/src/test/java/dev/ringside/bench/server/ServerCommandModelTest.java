package dev.ringside.bench.server;

import static dev.ringside.bench.server.ServerArgs.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.ringside.bench.command.CommandLauncher;
import dev.ringside.engine.model.ServerModel;
import dev.ringside.engine.model.VirtualThreads;
import dev.ringside.engine.protocol.ProtocolOption;
import dev.ringside.engine.protocol.ProtocolSpec;
import dev.ringside.engine.protocols.Protocols;
import dev.ringside.engine.server.ServerSettings;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ServerCommandModelTest {
    private static final int CPUS = Runtime.getRuntime().availableProcessors();

    @Test
    void shouldServeWithTheSelectorByDefaultAndMultiWhenLoopsAreGiven() {
        assertEquals(ServerModel.SELECTOR, settings().model());
        assertEquals(1, settings().loops());
        final ServerSettings multi = settings("--loops", "3");
        assertEquals(ServerModel.MULTI, multi.model());
        assertEquals(3, multi.loops());
        assertEquals(CPUS, settings("--model", "multi").loops());
    }

    @Test
    void shouldTakeEachModelsOwnOption() {
        final ServerSettings pool = settings("--model", "pool", "--threads", "3");
        assertEquals(ServerModel.POOL, pool.model());
        assertEquals(3, pool.threads());
        final ServerSettings process = settings("--model", "PROCESS", "--workers", "4");
        assertEquals(ServerModel.PROCESS, process.model());
        assertEquals(4, process.workers());
        assertEquals(CPUS, settings("--model", "process").workers());
        assertEquals(ServerModel.ITERATIVE, settings("--model", "iterative").model());
    }

    @Test
    void shouldRefuseOptionsThatDoNotGoWithTheModel() {
        assertRefused("--threads goes with --model pool", "--model", "thread", "--threads", "2");
        assertRefused("--workers goes with --model process", "--workers", "2");
        assertRefused("--loops goes with --model multi", "--model", "pool", "--loops", "2");
        assertRefused("--model selector runs one loop", "--model", "selector", "--loops", "2");
        assertRefused("--idle-timeout needs the selector loop", "--model", "thread", "--idle-timeout", "5s");
        assertRefused("the worker options are set by the process model", "--model", "thread", "--worker-slot", "0");
    }

    @Test
    void shouldPassTheUsersProtocolOptionsOnToWorkers() {
        final ServerCommand command = new ServerCommand();
        final CommandLine commandLine = CommandLauncher.commandLine(command);
        commandLine.parseArgs("--model", "process", "--workers", "2", "--protocol", "discard", "--print",
            "--ring-capacity", "16k", "--tcp", "127.0.0.1:0", "--no-counters-file");
        final List<String> args = command.workerArgs();
        assertEquals(List.of("--protocol", "discard", "--ring-capacity", "16k", "--print"),
            List.of(args.get(args.indexOf("--protocol")), args.get(args.indexOf("--protocol") + 1),
                args.get(args.indexOf("--ring-capacity")), args.get(args.indexOf("--ring-capacity") + 1),
                args.get(args.indexOf("--print"))));
        assertEquals(5, args.size(), "model, workers, addresses and counters are the supervisor's: " + args);
    }

    @Test
    void shouldExplainTheProcessModelInItsHelp() {
        final StringWriter help = new StringWriter();
        CommandLauncher.commandLine(new ServerCommand()).usage(new PrintWriter(help));
        final String text = help.toString();
        assertTrue(text.contains("a JVM cannot fork"), text);
        assertTrue(text.contains("SO_REUSEPORT"), text);
        for (final ServerModel model : ServerModel.values()) {
            assertTrue(text.contains("  " + model.label() + " "), "help lists " + model.label());
        }
    }

    private static void assertRefused(final String message, final String... args) {
        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> settings(args));
        assertTrue(refused.getMessage().startsWith(message), refused.getMessage());
    }

    @Test
    void shouldRefuseTheVirtualModelInOneLineOnThisOldJdk() {
        assumeFalse(VirtualThreads.available(), "this JDK has virtual threads; the model runs instead");
        final StringWriter err = new StringWriter();
        final StringWriter out = new StringWriter();
        final CommandLine command = CommandLauncher.commandLine(new ServerCommand());
        command.setErr(new PrintWriter(err, true));
        command.setOut(new PrintWriter(out, true));
        final int status = command.execute("--model", "virtual", "--tcp", "127.0.0.1:0", "--no-counters-file");
        assertEquals(CommandLauncher.EXIT_FAILURE, status);
        final String message = err.toString().trim();
        assertTrue(message.startsWith("server: --model virtual needs JDK 21 or newer"), message);
        assertEquals(1, message.lines().count(), "one line, no stack trace: " + message);
    }

    @Test
    void shouldGenerateTheServerHelpFromTheRegistry() {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CommandLauncher.commandLine(new ServerCommand()).usage(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        final String help = bytes.toString(StandardCharsets.UTF_8);
        for (final ProtocolSpec spec : Protocols.servable()) {
            assertTrue(help.replaceAll("\\s+", " ").contains(spec.name() + ": " + spec.help()),
                spec.name() + " in\n" + help);
            for (final ProtocolOption<?> option : spec.serverOptions()) {
                assertTrue(help.contains(option.name()), option.name() + " in\n" + help);
            }
        }
        // The generated options follow --protocol, before the command's own options.
        final int protocol = help.indexOf("\n      --protocol");
        final int maxLine = help.indexOf("\n      --max-line");
        final int tcp = help.indexOf("\n      --tcp");
        assertTrue(protocol >= 0 && protocol < maxLine && maxLine < tcp, help);
    }
}
