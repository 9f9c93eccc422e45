package dev.ringside.engine.endpoint;

import java.io.IOException;
import java.net.ConnectException;

import dev.ringside.engine.protocol.CloseReason;


/**
 * Classifies socket exceptions. The JDK reports errno values only in exception messages, so the messages
 * of Linux's {@code strerror} are matched here, in one place. Public so that the blocking server models
 * classify errors exactly as the selector loop does.
 */
public final class SocketErrors {
    private SocketErrors() {
    }

    /**
     * @param ex an exception from accept
     * @return whether it is EMFILE or ENFILE (the process or the system is out of file descriptors)
     */
    public static boolean isOutOfFileDescriptors(final IOException ex) {
        final String message = ex.getMessage();
        return message != null && message.contains("Too many open files");
    }

    /**
     * @param ex an exception from read or write
     * @return the close reason it stands for
     */
    public static CloseReason reasonForIo(final IOException ex) {
        final String message = ex.getMessage();
        if (message != null && (message.contains("reset") || message.contains("Broken pipe"))) {
            return CloseReason.PEER_RESET;
        }
        return CloseReason.IO_ERROR;
    }

    /**
     * @param ex an exception from finishing a connect
     * @return the close reason it stands for
     */
    public static CloseReason reasonForConnect(final IOException ex) {
        final String message = ex.getMessage();
        if (ex instanceof ConnectException && message != null && message.contains("refused")) {
            return CloseReason.CONNECT_REFUSED;
        }
        if (message != null && message.contains("timed out")) {
            return CloseReason.CONNECT_TIMEOUT;
        }
        return CloseReason.CONNECT_FAILED;
    }

    /**
     * Formats an address as {@code host:port}, without the {@code /} that {@code toString} puts first.
     *
     * @param address a socket address
     * @return the text
     */
    public static String format(final java.net.SocketAddress address) {
        if (address instanceof java.net.InetSocketAddress) {
            final java.net.InetSocketAddress inet = (java.net.InetSocketAddress) address;
            return inet.getHostString() + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }
}
