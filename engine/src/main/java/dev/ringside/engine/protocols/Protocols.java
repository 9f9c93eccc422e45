package dev.ringside.engine.protocols;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import dev.ringside.engine.protocol.ProtocolOption;
import dev.ringside.engine.protocol.ProtocolSpec;
import dev.ringside.engine.protocol.ReplyFault;
import dev.ringside.engine.protocol.chat.Chat;
import dev.ringside.engine.protocol.discard.Discard;
import dev.ringside.engine.protocol.echo.Echo;
import dev.ringside.engine.protocol.http.Http;
import dev.ringside.engine.protocol.memcached.Memcached;
import dev.ringside.engine.protocol.raw.Raw;
import dev.ringside.engine.protocol.redis.Redis;
import dev.ringside.engine.protocol.rr.Rr;
import dev.ringside.engine.protocol.sockperf.Sockperf;

/**
 * THE list of protocols. Every command, help text, check and conformance test reads it; adding a protocol is
 * its package (see {@code dev.ringside.engine.protocol}) and one line here.
 */
public final class Protocols {
    /** Every protocol, in the order help text lists them. */
    public static final List<ProtocolSpec> ALL = List.of(
        Echo.SPEC,
        Discard.SPEC,
        Chat.SPEC,
        Rr.SPEC,
        Http.SPEC,
        Sockperf.SPEC,
        Raw.SPEC,
        Redis.SPEC,
        Memcached.SPEC);

    private Protocols() {
    }

    /** @return the protocols {@code ringside server} serves */
    public static List<ProtocolSpec> servable() {
        return servable(ALL);
    }

    /** @return the protocols the load generator speaks */
    public static List<ProtocolSpec> drivable() {
        return drivable(ALL);
    }

    /** @return the protocols {@code ringside compare} can run: both a server and a client side */
    public static List<ProtocolSpec> comparable() {
        return ALL.stream().filter(spec -> spec.server().isPresent() && spec.client().isPresent()).toList();
    }

    static List<ProtocolSpec> servable(final List<ProtocolSpec> registry) {
        return registry.stream().filter(spec -> spec.server().isPresent()).toList();
    }

    static List<ProtocolSpec> drivable(final List<ProtocolSpec> registry) {
        return registry.stream().filter(spec -> spec.client().isPresent()).toList();
    }

    /**
     * @param name what the user typed, in any case
     * @return the protocol of that name, if any
     */
    public static Optional<ProtocolSpec> find(final String name) {
        return find(name, ALL);
    }

    static Optional<ProtocolSpec> find(final String name, final List<ProtocolSpec> registry) {
        final String wanted = name.toLowerCase(Locale.ROOT);
        return registry.stream().filter(spec -> spec.name().equals(wanted)).findFirst();
    }

    /**
     * A protocol {@code ringside server} can serve.
     *
     * @param name what the user typed
     * @return the protocol
     * @throws IllegalArgumentException naming the protocols it serves, or saying the protocol is client-only
     */
    public static ProtocolSpec servable(final String name) {
        return servable(name, ALL);
    }

    static ProtocolSpec servable(final String name, final List<ProtocolSpec> registry) {
        final ProtocolSpec spec = known(name, registry, servable(registry));
        if (spec.server().isEmpty()) {
            throw new IllegalArgumentException("protocol " + spec.name() + " is client-only: Ringside has no "
                + spec.name() + " server (drive a real one with 'ringside bench --protocol " + spec.name() + "')");
        }
        return spec;
    }

    /**
     * A protocol the load generator can speak.
     *
     * @param name what the user typed
     * @return the protocol
     * @throws IllegalArgumentException naming the protocols it speaks, or saying the protocol is server-only
     */
    public static ProtocolSpec drivable(final String name) {
        return drivable(name, ALL);
    }

    static ProtocolSpec drivable(final String name, final List<ProtocolSpec> registry) {
        final ProtocolSpec spec = known(name, registry, drivable(registry));
        if (spec.client().isEmpty()) {
            throw new IllegalArgumentException("protocol " + spec.name() + " is server-only: it never replies, so the "
                + "generator has nothing to measure (known: " + names(drivable(registry)) + ")");
        }
        return spec;
    }

    /**
     * A protocol {@code ringside compare} can run.
     *
     * @param name what the user typed
     * @return the protocol
     * @throws IllegalArgumentException naming the protocols it can run
     */
    public static ProtocolSpec comparable(final String name) {
        final ProtocolSpec spec = known(name, ALL, comparable());
        if (!comparable().contains(spec)) {
            throw new IllegalArgumentException("compare needs a protocol Ringside both serves and drives; "
                + spec.name() + " is not one (known: " + names(comparable()) + ")");
        }
        return spec;
    }

    /**
     * Every reply fault the registry's codecs can report: {@link ReplyFault#MISMATCH}, then each protocol's own in
     * registry order, each once (several protocols may share one). Reports list their error kinds from here.
     *
     * @return the faults
     * @throws IllegalStateException when two different faults share a key
     */
    public static List<ReplyFault> faults() {
        return faults(ALL);
    }

    /**
     * @param registry protocols
     * @return their faults, as {@link #faults()}
     */
    public static List<ReplyFault> faults(final List<ProtocolSpec> registry) {
        final Map<String, ReplyFault> byKey = new LinkedHashMap<>();
        byKey.put(ReplyFault.MISMATCH.key(), ReplyFault.MISMATCH);
        for (final ProtocolSpec spec : registry) {
            for (final ReplyFault fault : spec.faults()) {
                final ReplyFault known = byKey.putIfAbsent(fault.key(), fault);
                if (known != null && known != fault) {
                    throw new IllegalStateException("protocol " + spec.name() + " declares a fault with key '"
                        + fault.key() + "', which another fault has");
                }
            }
        }
        return List.copyOf(byKey.values());
    }

    /**
     * @param spec a protocol
     * @return its server options, then its client options
     */
    public static List<ProtocolOption<?>> bothSides(final ProtocolSpec spec) {
        final List<ProtocolOption<?>> all = new ArrayList<>(spec.serverOptions());
        all.addAll(spec.clientOptions());
        return all;
    }

    private static ProtocolSpec known(final String name, final List<ProtocolSpec> registry,
        final List<ProtocolSpec> offered) {
        return find(name, registry).orElseThrow(() -> new IllegalArgumentException(
            "unknown protocol '" + name + "' (known: " + names(offered) + ")"));
    }

    /**
     * @param specs protocols
     * @return their names joined by {@code ", "}
     */
    public static String names(final List<ProtocolSpec> specs) {
        return String.join(", ", specs.stream().map(ProtocolSpec::name).toList());
    }

    /**
     * The protocols that declare an option of a given name on a given side.
     *
     * @param optionName a long option name
     * @param side       which options to look in (a spec's server or client options)
     * @return the protocols, in registry order
     */
    public static List<ProtocolSpec> owners(final String optionName,
        final Function<ProtocolSpec, List<ProtocolOption<?>>> side) {
        final List<ProtocolSpec> owners = new ArrayList<>();
        for (final ProtocolSpec spec : ALL) {
            for (final ProtocolOption<?> option : side.apply(spec)) {
                if (option.name().equals(optionName)) {
                    owners.add(spec);
                }
            }
        }
        return owners;
    }
}
