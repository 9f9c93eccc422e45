package dev.ringside.engine.protocol;

import java.util.List;
import java.util.Optional;

/**
 * Everything Ringside knows about one protocol, in one value: its name and help line, whether it runs over UDP,
 * what the generator's {@code --size} means for it, and its server side and client side (either may be absent:
 * a protocol that only the generator speaks has no server side). Each protocol package declares one; the
 * registry lists them, and every command, help text and check reads them from there.
 *
 * @param name      the name users type after {@code --protocol}
 * @param help      one line for {@code --help}
 * @param datagrams whether it also runs over UDP
 * @param size      the request-size rule
 * @param server    its server side, if Ringside serves it
 * @param client    its client side, if the generator speaks it
 * @param faults    the faults of its own its client codec reports besides {@link ReplyFault#MISMATCH}
 */
public record ProtocolSpec(String name, String help, boolean datagrams, SizeRule size, Optional<ServerSide> server,
    Optional<ClientSide> client, List<ReplyFault> faults) {

    /**
     * Starts a spec.
     *
     * @param name the name users type
     * @param help one line
     * @return a builder
     */
    public static Builder named(final String name, final String help) {
        return new Builder(name, help);
    }

    /** @return the server side's options; none when there is no server side */
    public List<ProtocolOption<?>> serverOptions() {
        return server.map(ServerSide::options).orElse(List.of());
    }

    /** @return the client side's options; none when there is no client side */
    public List<ProtocolOption<?>> clientOptions() {
        return client.map(ClientSide::options).orElse(List.of());
    }

    @Override
    public String toString() {
        return name;
    }

    /** Builds a {@link ProtocolSpec}, so each protocol's declaration reads as a list of facts. */
    public static final class Builder {
        private final String name;
        private final String help;
        private boolean datagrams;
        private SizeRule size = SizeRule.none();
        private ServerSide server;
        private ClientSide client;
        private List<ReplyFault> faults = List.of();

        private Builder(final String name, final String help) {
            this.name = name;
            this.help = help;
        }

        /** @return this, for a protocol that also runs over UDP */
        public Builder datagrams() {
            this.datagrams = true;
            return this;
        }

        /**
         * @param rule what {@code --size} means
         * @return this
         */
        public Builder size(final SizeRule rule) {
            this.size = rule;
            return this;
        }

        /**
         * @param options      server options
         * @param minRingBytes the smallest ring its default limits fit in, or 0
         * @param factory      makes the protocol
         * @return this
         */
        public Builder server(final List<ProtocolOption<?>> options, final int minRingBytes,
            final ServerSide.Factory factory) {
            this.server = new ServerSide(List.copyOf(options), minRingBytes, factory);
            return this;
        }

        /**
         * @param options  client options
         * @param exchange how replies are measured
         * @param factory  makes the codec factory
         * @return this
         */
        public Builder client(final List<ProtocolOption<?>> options, final Exchange exchange,
            final ClientSide.Factory factory) {
            this.client = new ClientSide(List.copyOf(options), exchange, factory);
            return this;
        }

        /**
         * @param declared the faults of its own the client codec reports besides {@link ReplyFault#MISMATCH}
         *                 (each a constant of the protocol's package); reports list them from the registry
         * @return this
         */
        public Builder faults(final ReplyFault... declared) {
            this.faults = List.of(declared);
            return this;
        }

        /** @return the spec */
        public ProtocolSpec build() {
            if (server == null && client == null) {
                throw new IllegalStateException("protocol " + name + " has neither a server nor a client side");
            }
            return new ProtocolSpec(name, help, datagrams, size, Optional.ofNullable(server),
                Optional.ofNullable(client), faults);
        }
    }
}
