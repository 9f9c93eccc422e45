package dev.ringside.engine.protocol;

import java.util.List;

/**
 * A protocol's server side: its options and how a {@link Protocol} is made from their values.
 *
 * @param options     the options {@code ringside server} takes for this protocol
 * @param minRingBytes the smallest connection ring its default limits fit in (a request head, a line), or 0 when
 *                    any ring will do; {@code ringside compare} sizes its servers' rings by it
 * @param factory     makes the protocol
 */
public record ServerSide(List<ProtocolOption<?>> options, int minRingBytes, Factory factory) {
    /** Makes a server-side protocol from option values. */
    @FunctionalInterface
    public interface Factory {
        /**
         * @param options     the values of {@link ServerSide#options()}
         * @param environment what the host provides
         * @return the protocol
         * @throws IllegalArgumentException when the values do not fit together or with the host, saying what to
         *                                  change
         */
        Protocol create(OptionValues options, ServerEnvironment environment);
    }

    /**
     * Creates the protocol.
     *
     * @param values      option values
     * @param environment what the host provides
     * @return the protocol
     */
    public Protocol newProtocol(final OptionValues values, final ServerEnvironment environment) {
        return factory.create(values, environment);
    }
}
