package dev.ringside.engine.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintStream;

import org.junit.jupiter.api.Test;

class ServerCommandUdpBufferTest {
    private static final PrintStream NOWHERE = new PrintStream(PrintStream.nullOutputStream());

    private static ServerSettings settings(final String... args) {
        final ServerCommand command = new ServerCommand();
        CommandLauncher.commandLine(command).parseArgs(args);
        return command.settings(NOWHERE);
    }

    @Test
    void shouldSetTheDatagramReceiveBufferOnlyWhenAsked() {
        assertEquals(0, settings().loopConfig().datagramReceiveBufferBytes());
        assertEquals(4 * 1024 * 1024, settings("--udp-receive-buffer", "4m").loopConfig().datagramReceiveBufferBytes());
        assertEquals(0, settings("--udp-receive-buffer", "4m").loopConfig().socketReceiveBufferBytes());
    }
}
