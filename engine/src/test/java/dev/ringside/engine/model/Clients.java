package dev.ringside.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * Blocking loopback clients for the model tests. Every read has a socket timeout as a watchdog only: a
 * server that hangs fails the test instead of blocking it.
 */
final class Clients {
    static final int WATCHDOG_MS = 30_000;

    private Clients() {
    }

    /**
     * @param address server
     * @return a connected socket with the watchdog timeout
     */
    static Socket connect(final InetSocketAddress address) throws IOException {
        final Socket socket = new Socket(address.getAddress(), address.getPort());
        socket.setSoTimeout(WATCHDOG_MS);
        socket.setTcpNoDelay(true);
        return socket;
    }

    /**
     * @param random source
     * @param length bytes
     * @return random bytes
     */
    static byte[] randomBytes(final Random random, final int length) {
        final byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    /**
     * Writes a payload in chunks of random size (one byte at a time now and then), on another thread, while
     * this thread reads the echo; then checks it byte for byte. Writing and reading at once is what keeps a
     * blocking echo from deadlocking when the payload exceeds the socket buffers.
     *
     * @param socket  connected to an echo server
     * @param payload what to send
     * @param random  chunk sizes
     */
    static void echo(final Socket socket, final byte[] payload, final Random random) throws IOException {
        final long seed = random.nextLong();
        final CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> writeInChunks(socket, payload, seed));
        final byte[] echoed = readExactly(socket, payload.length);
        writing.join();
        assertArrayEquals(payload, echoed, "echoed bytes differ");
    }

    static void writeInChunks(final Socket socket, final byte[] payload, final long seed) {
        final Random random = new Random(seed);
        try {
            final OutputStream out = socket.getOutputStream();
            int offset = 0;
            while (offset < payload.length) {
                final int chunk = random.nextInt(8) == 0 ? 1 : 1 + random.nextInt(16 * 1024);
                final int length = Math.min(chunk, payload.length - offset);
                out.write(payload, offset, length);
                offset += length;
            }
            out.flush();
        } catch (final IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * @param socket source
     * @param length bytes to read
     * @return them
     * @throws IOException on end of stream before {@code length} bytes
     */
    static byte[] readExactly(final Socket socket, final int length) throws IOException {
        final byte[] bytes = new byte[length];
        final InputStream in = socket.getInputStream();
        int offset = 0;
        while (offset < length) {
            final int read = in.read(bytes, offset, length - offset);
            if (read < 0) {
                throw new IOException("end of stream after " + offset + " of " + length + " bytes");
            }
            offset += read;
        }
        return bytes;
    }

    /**
     * Sends a short message and checks that it comes back.
     *
     * @param socket connected to an echo server
     * @param text   the message
     */
    static void roundTrip(final Socket socket, final String text) throws IOException {
        final byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        socket.getOutputStream().write(bytes);
        assertEquals(text, new String(readExactly(socket, bytes.length), java.nio.charset.StandardCharsets.US_ASCII));
    }

    /**
     * Half-closes and expects the server to close without sending anything more.
     *
     * @param socket the client
     */
    static void expectCloseAfterHalfClose(final Socket socket) throws IOException {
        socket.shutdownOutput();
        assertEquals(-1, socket.getInputStream().read(), "the server should close without sending more");
    }

    /**
     * Sends one line and expects another member of a room to receive it.
     *
     * @param sender   the member that writes
     * @param receiver the other member's reader
     * @param text     the line, without its newline
     */
    static void roundTripLine(final Socket sender, final java.io.BufferedReader receiver, final String text)
        throws IOException {
        sender.getOutputStream().write((text + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(text, receiver.readLine());
    }
}
