package dev.ringside.engine.protocol;

import java.util.List;

/**
 * A protocol's client side in the load generator: its options, how it measures, and how the per-run
 * {@link CodecFactory} is made from the option values.
 *
 * @param options  the options {@code ringside bench} takes for this protocol
 * @param exchange how replies are measured
 * @param factory  makes the codec factory
 */
public record ClientSide(List<ProtocolOption<?>> options, Exchange exchange, Factory factory) {
    /** Makes a run's codec factory from option values. */
    @FunctionalInterface
    public interface Factory {
        /**
         * @param options the values of {@link ClientSide#options()}
         * @param setup   the run
         * @return the run's codec factory
         * @throws IllegalArgumentException when the values do not fit the run, saying what to change
         */
        CodecFactory create(OptionValues options, ClientSetup setup);
    }

    /**
     * Creates the run's codec factory, checking the options against the run.
     *
     * @param values option values
     * @param setup  the run
     * @return the codec factory
     */
    public CodecFactory newCodecs(final OptionValues values, final ClientSetup setup) {
        return factory.create(values, setup);
    }
}
