package dev.ringside.bench.driver;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.function.BooleanSupplier;

/**
 * Drives a {@link LoadDriver} on the test thread against a server side the test holds in its hand (the
 * manual-clock tests): run duty cycles until a condition holds, or until whole messages arrive at the server.
 * Every wait has an iteration cap instead of a sleep.
 */
final class ManualDrive {
    private static final int CAP = 1_000_000;

    private ManualDrive() {
    }

    /** Reads from {@code server} into {@code into}, running the driver, until it holds whole messages. */
    static void awaitBytes(final LoadDriver driver, final SocketChannel server, final ByteBuffer into,
        final int messageBytes) throws IOException {
        for (int i = 0; i < CAP; i++) {
            if (server.read(into) > 0 && into.position() % messageBytes == 0) {
                return;
            }
            if (into.position() > 0 && into.position() % messageBytes == 0) {
                return;
            }
            driver.doWork();
        }
        throw new AssertionError("no request arrived");
    }

    /** Runs duty cycles until the condition holds. */
    static void runUntil(final LoadDriver driver, final BooleanSupplier condition) {
        for (int i = 0; i < CAP; i++) {
            if (condition.getAsBoolean()) {
                return;
            }
            driver.doWork();
        }
        throw new AssertionError("condition not reached in " + CAP + " cycles");
    }
}
