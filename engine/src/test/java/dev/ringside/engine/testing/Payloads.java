package dev.ringside.engine.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * Blocking-socket helpers for tests.
 */
public final class Payloads {
    private Payloads() {
    }

    /**
     * Reads exactly {@code length} bytes or fails at end of stream.
     *
     * @param channel a blocking channel
     * @param length  bytes to read
     * @return the bytes
     * @throws IOException on error or early EOF
     */
    public static byte[] readFully(final SocketChannel channel, final int length) throws IOException {
        final ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new IOException("EOF after " + buffer.position() + " of " + length + " bytes");
            }
        }
        return buffer.array();
    }

    /**
     * Reads until end of stream.
     *
     * @param channel a blocking channel
     * @return the bytes
     * @throws IOException on error
     */
    public static byte[] readToEnd(final SocketChannel channel) throws IOException {
        final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        while (channel.read(buffer) >= 0) {
            out.write(buffer.array(), 0, buffer.position());
            buffer.clear();
        }
        return out.toByteArray();
    }

    /**
     * Writes everything.
     *
     * @param channel a blocking channel
     * @param bytes   what
     * @throws IOException on error
     */
    public static void writeFully(final SocketChannel channel, final byte[] bytes) throws IOException {
        final ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }
}
