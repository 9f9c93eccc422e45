package dev.ringside.engine.protocol;

import java.io.PrintStream;

/**
 * Settings that shape a protocol, gathered from the command line. Each protocol reads the ones it uses.
 */
public final class ProtocolOptions {
    private PrintStream printer;

    /** @return where the discard protocol prints received lines, or {@code null} for silent */
    public PrintStream printer() {
        return printer;
    }

    /**
     * Makes the discard protocol print each received line.
     *
     * @param printer destination, or {@code null} for silent
     * @return this
     */
    public ProtocolOptions printer(final PrintStream printer) {
        this.printer = printer;
        return this;
    }
}
