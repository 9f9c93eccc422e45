package dev.ringside.bench.server;

import static dev.ringside.bench.server.ServerArgs.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;


import org.junit.jupiter.api.Test;

class ServerCommandUdpBufferTest {

    @Test
    void shouldSetTheDatagramReceiveBufferOnlyWhenAsked() {
        assertEquals(0, settings().loopConfig().datagramReceiveBufferBytes());
        assertEquals(4 * 1024 * 1024, settings("--udp-receive-buffer", "4m").loopConfig().datagramReceiveBufferBytes());
        assertEquals(0, settings("--udp-receive-buffer", "4m").loopConfig().socketReceiveBufferBytes());
    }
}
