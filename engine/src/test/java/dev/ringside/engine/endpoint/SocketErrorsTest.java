package dev.ringside.engine.endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

import dev.ringside.engine.protocol.CloseReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link SocketErrors}: the exceptions the JDK really throws on loopback (a refused connect, a reset read) map to
 * their reasons, and so do the messages of errors a test cannot cause on demand (EMFILE, a connect timeout), which
 * are Linux's {@code strerror} texts. Written against the surviving and uncovered mutants of the PIT run in
 * perf/RESULTS.md (issue 16, fourth session): every condition negated, every return replaced by null or "".
 */
@Timeout(30)
class SocketErrorsTest {
    @Test
    void shouldCallARealRefusedConnectRefused() throws Exception {
        final InetSocketAddress closedPort;
        try (ServerSocketChannel probe = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            closedPort = (InetSocketAddress) probe.getLocalAddress();
        }
        final IOException refused = assertThrows(IOException.class, () -> {
            try (SocketChannel client = SocketChannel.open()) {
                client.connect(closedPort);
            }
        });
        assertEquals(CloseReason.CONNECT_REFUSED, SocketErrors.reasonForConnect(refused));
        // The same words outside a ConnectException are a failure, not a refusal; a message without them too.
        assertEquals(CloseReason.CONNECT_FAILED, SocketErrors.reasonForConnect(new IOException(refused.getMessage())));
        assertEquals(CloseReason.CONNECT_FAILED, SocketErrors.reasonForConnect(new ConnectException("No route")));
        assertEquals(CloseReason.CONNECT_FAILED, SocketErrors.reasonForConnect(new ConnectException()));
        assertEquals(CloseReason.CONNECT_FAILED, SocketErrors.reasonForConnect(new IOException()));
        assertEquals(CloseReason.CONNECT_TIMEOUT,
            SocketErrors.reasonForConnect(new SocketTimeoutException("Connection timed out")));
        assertEquals(CloseReason.CONNECT_TIMEOUT,
            SocketErrors.reasonForConnect(new ConnectException("Connection timed out")));
    }

    @Test
    void shouldCallARealResetAResetAndOtherErrorsIoErrors() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            final SocketChannel client = SocketChannel.open(server.getLocalAddress());
            final SocketChannel accepted = server.accept();
            // Linger 0: close sends RST, and the peer's next read fails with "Connection reset".
            client.setOption(StandardSocketOptions.SO_LINGER, 0);
            client.close();
            final IOException reset = assertThrows(IOException.class, () -> accepted.read(ByteBuffer.allocate(8)));
            assertEquals(CloseReason.PEER_RESET, SocketErrors.reasonForIo(reset));
            accepted.close();
        }
        assertEquals(CloseReason.PEER_RESET, SocketErrors.reasonForIo(new IOException("Broken pipe")));
        assertEquals(CloseReason.IO_ERROR, SocketErrors.reasonForIo(new IOException("No buffer space available")));
        assertEquals(CloseReason.IO_ERROR, SocketErrors.reasonForIo(new IOException()));
    }

    @Test
    void shouldRecogniseOnlyTheDescriptorShortage() {
        assertTrue(SocketErrors.isOutOfFileDescriptors(new IOException("Too many open files")));
        assertTrue(SocketErrors.isOutOfFileDescriptors(new IOException("Too many open files in system")));
        assertFalse(SocketErrors.isOutOfFileDescriptors(new IOException("Connection reset by peer")));
        assertFalse(SocketErrors.isOutOfFileDescriptors(new IOException()));
    }

    @Test
    void shouldFormatAnInetAddressWithoutTheSlashAndAnyOtherAsItsText() {
        assertEquals("127.0.0.1:8080", SocketErrors.format(new InetSocketAddress("127.0.0.1", 8080)));
        assertEquals("example.invalid:9",
            SocketErrors.format(InetSocketAddress.createUnresolved("example.invalid", 9)));
        final UnixDomainSocketAddress unix = UnixDomainSocketAddress.of("/tmp/ringside.sock");
        assertEquals(unix.toString(), SocketErrors.format(unix));
        assertEquals("null", SocketErrors.format(null));
    }
}
