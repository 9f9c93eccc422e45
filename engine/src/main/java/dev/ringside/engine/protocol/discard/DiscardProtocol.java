package dev.ringside.engine.protocol.discard;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import dev.ringside.engine.buffer.ByteRing;
import dev.ringside.engine.protocol.CloseReason;
import dev.ringside.engine.protocol.DatagramHandler;
import dev.ringside.engine.protocol.Outbound;
import dev.ringside.engine.protocol.Protocol;
import dev.ringside.engine.protocol.Session;
import dev.ringside.engine.protocol.SessionContext;

/**
 * Reads and drops everything. With a printer it becomes the classic sink server: each received line is
 * printed with the client it came from, and arrivals and departures are announced.
 */
public final class DiscardProtocol implements Protocol {
    /** Longest line printed in one piece; longer input is printed in chunks of this size. */
    static final int MAX_PRINTED_LINE = 4096;

    private final PrintStream printer;

    /**
     * Creates the protocol.
     *
     * @param printer where to print lines, or {@code null} to discard silently
     */
    public DiscardProtocol(final PrintStream printer) {
        this.printer = printer;
    }

    @Override
    public String name() {
        return "discard";
    }

    @Override
    public Session newSession(final SessionContext context) {
        return printer == null ? SilentSession.INSTANCE : new PrintingSession(context, printer);
    }

    @Override
    public DatagramHandler newDatagramHandler(final String localAddress) {
        if (printer == null) {
            return (buffer, length, sender) -> DatagramHandler.NO_REPLY;
        }
        return (buffer, length, sender) -> {
            int end = length;
            while (end > 0 && (buffer.getByte(end - 1) == '\n' || buffer.getByte(end - 1) == '\r')) {
                end--;
            }
            printer.println("[" + sender.getHostString() + ":" + sender.getPort() + "] "
                + buffer.getStringWithoutLengthUtf8(0, end));
            return DatagramHandler.NO_REPLY;
        };
    }

    /** Drops every byte. */
    private enum SilentSession implements Session {
        INSTANCE;

        @Override
        public int onData(final ByteRing inbound, final Outbound out) {
            inbound.consume(inbound.readableBytes());
            return 1;
        }
    }

    /** Prints complete lines with the client's address. */
    private static final class PrintingSession implements Session {
        private final SessionContext context;
        private final PrintStream printer;
        private final byte[] line = new byte[MAX_PRINTED_LINE];

        PrintingSession(final SessionContext context, final PrintStream printer) {
            this.context = context;
            this.printer = printer;
        }

        @Override
        public void onOpen(final Outbound out) {
            printer.println("[" + context.remoteAddress() + "] connected");
        }

        @Override
        public int onData(final ByteRing inbound, final Outbound out) {
            int lines = 0;
            while (!inbound.isEmpty()) {
                final long newline = inbound.indexOf((byte) '\n', inbound.readPosition());
                final int available = newline < 0
                    ? inbound.readableBytes() : (int) (newline - inbound.readPosition());
                if (newline < 0 && available < MAX_PRINTED_LINE) {
                    break; // wait for the rest of the line
                }
                final int length = Math.min(available, MAX_PRINTED_LINE);
                print(inbound, length);
                inbound.consume(newline >= 0 && length == available ? length + 1 : length);
                lines++;
            }
            return lines;
        }

        @Override
        public void onClose(final CloseReason reason) {
            printer.println("[" + context.remoteAddress() + "] disconnected (" + reason.label() + ")");
        }

        private void print(final ByteRing inbound, final int length) {
            int end = length;
            for (int i = 0; i < length; i++) {
                line[i] = inbound.getByte(inbound.readPosition() + i);
            }
            if (end > 0 && line[end - 1] == '\r') {
                end--;
            }
            printer.println("[" + context.remoteAddress() + "] " + new String(line, 0, end, StandardCharsets.UTF_8));
        }
    }
}
