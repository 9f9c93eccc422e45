package dev.ringside.bench.driver;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.ringside.engine.config.IdleMode;
import dev.ringside.engine.config.Units;
import dev.ringside.engine.protocol.ClientSetup;
import dev.ringside.engine.protocol.ClientSide;
import dev.ringside.engine.protocol.CodecFactory;
import dev.ringside.engine.protocol.Exchange;
import dev.ringside.engine.protocol.OptionValues;
import dev.ringside.engine.protocol.ProtocolOption;
import dev.ringside.engine.protocol.ProtocolSpec;
import dev.ringside.engine.protocol.SizeRule;
import dev.ringside.engine.protocol.echo.Echo;

/**
 * What a run does. Setters take values as given; {@link #validate()} checks them together and fails with a
 * message that says what to change.
 */
public final class BenchSettings {
    /** Deepest pipeline per connection. */
    public static final int MAX_PIPELINE = 1024;

    private InetSocketAddress target;
    private ProtocolSpec protocol = Echo.SPEC;
    private OptionValues protocolOptions = OptionValues.defaults();
    private CodecFactory codecs;
    private boolean udp;
    private int connections = 1;
    private double rate;
    private boolean closedLoop;
    private int pipeline = 1;
    private int size = 64;
    private long durationNs = TimeUnit.SECONDS.toNanos(10);
    private long warmupNs = TimeUnit.SECONDS.toNanos(2);
    private int threads = 1;
    private double connectRate = 10_000;
    private long connectTimeoutNs = TimeUnit.SECONDS.toNanos(5);
    private final List<InetAddress> bindAddresses = new ArrayList<>();
    private long timeoutNs = TimeUnit.SECONDS.toNanos(2);
    private IdleMode idleMode = IdleMode.BLOCK;
    private boolean reconnect = true;
    private int requestsPerConnection;

    /** @return where to send */
    public InetSocketAddress target() {
        return target;
    }

    /**
     * @param address where to send
     * @return this
     */
    public BenchSettings target(final InetSocketAddress address) {
        this.target = address;
        return this;
    }

    /** @return the protocol */
    public ProtocolSpec protocol() {
        return protocol;
    }

    /**
     * @param value the protocol, its client options at their defaults
     * @return this
     */
    public BenchSettings protocol(final ProtocolSpec value) {
        return protocol(value, OptionValues.defaults());
    }

    /**
     * @param value   the protocol (one with a client side)
     * @param options values of its client options
     * @return this
     */
    public BenchSettings protocol(final ProtocolSpec value, final OptionValues options) {
        this.protocol = value;
        this.protocolOptions = options;
        this.codecs = null;
        return this;
    }

    /** @return how the protocol measures */
    public Exchange exchange() {
        return client().exchange();
    }

    /** @return whether the protocol broadcasts (chat): deliveries, not replies, are measured */
    public boolean broadcast() {
        return exchange() == Exchange.BROADCAST;
    }

    /** @return the run's codec factory, made by {@link #validate()} */
    public CodecFactory codecs() {
        if (codecs == null) {
            throw new IllegalStateException("validate() the settings first");
        }
        return codecs;
    }

    private ClientSide client() {
        if (protocol.client().isEmpty()) {
            throw new IllegalArgumentException("protocol " + protocol.name() + " has no client side");
        }
        return protocol.client().get();
    }

    /** @return whether over UDP */
    public boolean udp() {
        return udp;
    }

    /**
     * @param value over UDP
     * @return this
     */
    public BenchSettings udp(final boolean value) {
        this.udp = value;
        return this;
    }

    /** @return connections (UDP: sockets) */
    public int connections() {
        return connections;
    }

    /**
     * @param value connections (UDP: sockets)
     * @return this
     */
    public BenchSettings connections(final int value) {
        this.connections = value;
        return this;
    }

    /** @return total messages per second (open loop); 0 in closed loop */
    public double rate() {
        return rate;
    }

    /**
     * @param value total messages per second, open loop
     * @return this
     */
    public BenchSettings rate(final double value) {
        this.rate = value;
        return this;
    }

    /** @return whether closed loop (send after each reply) */
    public boolean closedLoop() {
        return closedLoop;
    }

    /**
     * @param value closed loop
     * @return this
     */
    public BenchSettings closedLoop(final boolean value) {
        this.closedLoop = value;
        return this;
    }

    /** @return most requests outstanding per connection */
    public int pipeline() {
        return pipeline;
    }

    /**
     * @param value most requests outstanding per connection
     * @return this
     */
    public BenchSettings pipeline(final int value) {
        this.pipeline = value;
        return this;
    }

    /** @return message size in bytes (see the protocol for what it covers) */
    public int size() {
        return size;
    }

    /**
     * @param value message size in bytes
     * @return this
     */
    public BenchSettings size(final int value) {
        this.size = value;
        return this;
    }

    /** @return length of the measurement window */
    public long durationNs() {
        return durationNs;
    }

    /**
     * @param value length of the measurement window
     * @return this
     */
    public BenchSettings durationNs(final long value) {
        this.durationNs = value;
        return this;
    }

    /** @return warm-up length */
    public long warmupNs() {
        return warmupNs;
    }

    /**
     * @param value warm-up length
     * @return this
     */
    public BenchSettings warmupNs(final long value) {
        this.warmupNs = value;
        return this;
    }

    /** @return generator threads (event loops) */
    public int threads() {
        return threads;
    }

    /**
     * @param value generator threads
     * @return this
     */
    public BenchSettings threads(final int value) {
        this.threads = value;
        return this;
    }

    /** @return connection attempts per second; infinite for no pacing */
    public double connectRate() {
        return connectRate;
    }

    /**
     * @param value connection attempts per second
     * @return this
     */
    public BenchSettings connectRate(final double value) {
        this.connectRate = value;
        return this;
    }

    /** @return how long a connect may take */
    public long connectTimeoutNs() {
        return connectTimeoutNs;
    }

    /**
     * @param value how long a connect may take
     * @return this
     */
    public BenchSettings connectTimeoutNs(final long value) {
        this.connectTimeoutNs = value;
        return this;
    }

    /** @return source addresses, used round-robin; empty for the system's choice */
    public List<InetAddress> bindAddresses() {
        return bindAddresses;
    }

    /**
     * @param addresses source addresses, used round-robin
     * @return this
     */
    public BenchSettings bindAddresses(final List<InetAddress> addresses) {
        this.bindAddresses.clear();
        this.bindAddresses.addAll(addresses);
        return this;
    }

    /** @return how long a reply may take before it counts as a timeout (UDP: as lost) */
    public long timeoutNs() {
        return timeoutNs;
    }

    /**
     * @param value response timeout
     * @return this
     */
    public BenchSettings timeoutNs(final long value) {
        this.timeoutNs = value;
        return this;
    }

    /** @return what the generator's loops do when idle */
    public IdleMode idleMode() {
        return idleMode;
    }

    /**
     * @param value idle mode
     * @return this
     */
    public BenchSettings idleMode(final IdleMode value) {
        this.idleMode = value;
        return this;
    }

    /** @return whether a connection the server closes (or a failed connect) is reopened, within the connect rate */
    public boolean reconnect() {
        return reconnect;
    }

    /**
     * @param value reopen connections the server closes ({@code --no-reconnect}: false)
     * @return this
     */
    public BenchSettings reconnect(final boolean value) {
        this.reconnect = value;
        return this;
    }

    /** @return replies after which a connection is closed and reopened; 0 for no limit */
    public int requestsPerConnection() {
        return requestsPerConnection;
    }

    /**
     * @param value replies after which a connection is closed and reopened (1: connect, request, close); 0 for
     *              no limit
     * @return this
     */
    public BenchSettings requestsPerConnection(final int value) {
        this.requestsPerConnection = value;
        return this;
    }

    /** @return connections that send: chat publishers, otherwise all */
    public int senders() {
        return codecs().senders(connections);
    }

    /**
     * Checks the settings together.
     *
     * @return this
     * @throws IllegalArgumentException saying what to change
     */
    public BenchSettings validate() {
        if (target == null) {
            throw new IllegalArgumentException("--target HOST:PORT is required");
        }
        if (target.getPort() == 0) {
            throw new IllegalArgumentException("--target needs a port other than 0");
        }
        if (connections < 1) {
            throw new IllegalArgumentException("--connections must be at least 1, got " + connections);
        }
        if (threads < 1 || threads > connections) {
            throw new IllegalArgumentException("--threads must be between 1 and --connections (" + connections
                + "), got " + threads);
        }
        final ClientSide client = client();
        if (udp && !protocol.datagrams()) {
            throw new IllegalArgumentException("protocol " + protocol.name() + " has no UDP form; drop --udp");
        }
        if (closedLoop) {
            if (rate != 0) {
                throw new IllegalArgumentException("--rate and --closed-loop exclude each other: closed loop sends as "
                    + "fast as replies come");
            }
            if (client.exchange() == Exchange.BROADCAST) {
                throw new IllegalArgumentException(protocol.name() + " has no replies to wait for; use --rate (open "
                    + "loop)");
            }
        } else if (rate < 0 || Double.isNaN(rate) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("--rate must be a positive number of messages per second, got " + rate);
        } else if (rate == 0) {
            throw new IllegalArgumentException("give --rate R (total messages/s, open loop) or --closed-loop");
        }
        if (pipeline < 1 || pipeline > MAX_PIPELINE) {
            throw new IllegalArgumentException("--pipeline must be 1.." + MAX_PIPELINE + ", got " + pipeline);
        }
        final SizeRule rule = protocol.size();
        if (rule.applies() && (size < rule.min(udp) || size > rule.max(udp))) {
            throw new IllegalArgumentException("--size for " + protocol.name() + (udp ? " over udp" : "")
                + " must be " + rule.min(udp) + ".." + rule.max(udp) + " bytes, got " + size);
        }
        if (durationNs <= 0) {
            throw new IllegalArgumentException("--duration must be positive");
        }
        if (warmupNs < 0) {
            throw new IllegalArgumentException("--warmup must not be negative");
        }
        if (!(connectRate > 0)) {
            throw new IllegalArgumentException("--connect-rate must be positive, got " + connectRate);
        }
        if (connectTimeoutNs <= 0 || timeoutNs <= 0) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        if (requestsPerConnection < 0) {
            throw new IllegalArgumentException("--requests-per-connection must be at least 1, got "
                + requestsPerConnection);
        }
        if (requestsPerConnection > 0) {
            if (udp) {
                throw new IllegalArgumentException("--requests-per-connection closes TCP connections; UDP sockets have "
                    + "none: drop --udp or the flag");
            }
            if (!reconnect) {
                throw new IllegalArgumentException("--requests-per-connection reopens each connection it closes; drop "
                    + "--no-reconnect");
            }
            if (client.exchange() == Exchange.BROADCAST) {
                throw new IllegalArgumentException("--requests-per-connection counts replies, and " + protocol.name()
                    + " has none");
            }
        }
        if (!bindAddresses.isEmpty() && bindAddresses.get(0).getClass() != target.getAddress().getClass()) {
            throw new IllegalArgumentException("--bind addresses and --target must be the same IP version");
        }
        // Last: the protocol's own checks of its options against the run, and what it prepares once per run.
        codecs = client.newCodecs(protocolOptions, new ClientSetup(target, udp, size, connections, threads));
        return this;
    }

    /**
     * @return an independent copy, unvalidated: change a child's share of it, then {@link #validate()} it
     */
    public BenchSettings copy() {
        return new BenchSettings().target(target).protocol(protocol, protocolOptions).udp(udp)
            .connections(connections).rate(rate).closedLoop(closedLoop).pipeline(pipeline).size(size)
            .durationNs(durationNs).warmupNs(warmupNs).threads(threads).connectRate(connectRate)
            .connectTimeoutNs(connectTimeoutNs).bindAddresses(bindAddresses).timeoutNs(timeoutNs)
            .idleMode(idleMode).reconnect(reconnect).requestsPerConnection(requestsPerConnection);
    }

    /**
     * The settings rendered back to {@code bench} options: what a child generator is started with, so that it
     * runs exactly these settings (the fleet's children, the demo's generators). Every setting is written
     * out, defaults included, so that a child does not depend on the defaults of the command that parses it;
     * {@code --ramp} is written as the connect rate it gave. Values are {@code --name=value}: a value starting
     * with {@code -} stays a value. The parse of these arguments is equal to this ({@link #equals}).
     *
     * @return the options, without the command's name
     */
    public List<String> arguments() {
        final List<String> args = new ArrayList<>();
        args.add("--target=" + Units.format(target));
        args.add("--protocol=" + protocol.name());
        for (final ProtocolOption<?> option : protocol.clientOptions()) {
            for (final String text : protocolOptions.texts(option)) {
                args.add(option.isFlag() ? option.name() : option.name() + "=" + text);
            }
        }
        if (udp) {
            args.add("--udp");
        }
        args.add("--connections=" + connections);
        args.add(closedLoop ? "--closed-loop" : "--rate=" + rate);
        args.add("--pipeline=" + pipeline);
        args.add("--size=" + size);
        args.add("--duration=" + duration(durationNs));
        args.add("--warmup=" + duration(warmupNs));
        args.add("--timeout=" + duration(timeoutNs));
        args.add("--threads=" + threads);
        args.add("--connect-rate=" + connectRate);
        args.add("--connect-timeout=" + duration(connectTimeoutNs));
        if (!bindAddresses.isEmpty()) {
            final List<String> bind = new ArrayList<>();
            for (final InetAddress address : bindAddresses) {
                bind.add(address.getHostAddress());
            }
            args.add("--bind=" + String.join(",", bind));
        }
        if (!reconnect) {
            args.add("--no-reconnect");
        }
        if (requestsPerConnection > 0) {
            args.add("--requests-per-connection=" + requestsPerConnection);
        }
        args.add("--idle=" + idleMode.name().toLowerCase(java.util.Locale.ROOT));
        return args;
    }

    /** @return a duration as the command line takes it, exactly: the largest unit that divides it */
    private static String duration(final long ns) {
        final long[] units = {1_000_000_000L, 1_000_000L, 1_000L};
        final String[] suffixes = {"s", "ms", "us"};
        for (int i = 0; i < units.length; i++) {
            if (ns % units[i] == 0) {
                return ns / units[i] + suffixes[i];
            }
        }
        return ns + "ns";
    }

    /**
     * Equal settings run the same load: every setting compared, the protocol's options as typed (a parsed value
     * may be an array), the codecs left out (made from the rest by {@link #validate()}).
     */
    @Override
    public boolean equals(final Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof BenchSettings)) {
            return false;
        }
        final BenchSettings that = (BenchSettings) other;
        return java.util.Objects.equals(target, that.target) && protocol == that.protocol && udp == that.udp
            && connections == that.connections && Double.compare(rate, that.rate) == 0
            && closedLoop == that.closedLoop && pipeline == that.pipeline && size == that.size
            && durationNs == that.durationNs && warmupNs == that.warmupNs && threads == that.threads
            && Double.compare(connectRate, that.connectRate) == 0 && connectTimeoutNs == that.connectTimeoutNs
            && bindAddresses.equals(that.bindAddresses) && timeoutNs == that.timeoutNs
            && idleMode == that.idleMode && reconnect == that.reconnect
            && requestsPerConnection == that.requestsPerConnection && typedOptions().equals(that.typedOptions());
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(target, protocol.name(), connections, rate, durationNs, typedOptions());
    }

    private Map<String, List<String>> typedOptions() {
        final Map<String, List<String>> typed = new LinkedHashMap<>();
        for (final ProtocolOption<?> option : protocol.clientOptions()) {
            typed.put(option.name(), protocolOptions.texts(option));
        }
        return typed;
    }

    @Override
    public String toString() {
        return String.join(" ", arguments());
    }

    /** @return a one-line description of the run */
    public String describe() {
        final StringBuilder text = new StringBuilder();
        text.append(protocol.name()).append(" over ").append(udp ? "udp" : "tcp").append(" to ")
            .append(target.getAddress().getHostAddress()).append(':').append(target.getPort()).append(", ")
            .append(connections).append(udp ? " sockets" : " connections").append(", ");
        if (closedLoop) {
            text.append("closed loop, pipeline ").append(pipeline);
        } else {
            text.append("open loop at ").append(formatRate(rate)).append(" msg/s");
            if (pipeline > 1) {
                text.append(", up to ").append(pipeline).append(" in flight per connection");
            }
        }
        if (protocol.size().applies()) {
            text.append(", ").append(size).append(" B");
        }
        if (requestsPerConnection > 0) {
            text.append(", ").append(requestsPerConnection)
                .append(requestsPerConnection == 1 ? " request" : " requests").append(" per connection");
        } else if (!reconnect && !udp) {
            text.append(", no reconnect");
        }
        text.append(", ").append(seconds(durationNs)).append(" s after ").append(seconds(warmupNs))
            .append(" s warm-up, ").append(threads).append(threads == 1 ? " thread" : " threads");
        return text.toString();
    }

    /** @return the settings as label/value pairs, in display order */
    public Map<String, String> parameters() {
        final Map<String, String> map = new LinkedHashMap<>();
        map.put("target", target.getAddress().getHostAddress() + ":" + target.getPort());
        map.put("protocol", protocol.name() + (udp ? " (udp)" : " (tcp)"));
        map.put("connections", Integer.toString(connections));
        map.put("load", closedLoop ? "closed loop, pipeline " + pipeline
            : "open loop, " + formatRate(rate) + " msg/s" + (pipeline > 1 ? ", pipeline " + pipeline : ""));
        for (final ProtocolOption<?> option : protocol.clientOptions()) {
            map.put(option.name().substring(2), String.valueOf(protocolOptions.text(option)));
        }
        final String request = codecs().describeRequest();
        map.put("size", request != null ? request : size + " B");
        map.put("duration", seconds(durationNs) + " s (+" + seconds(warmupNs) + " s warm-up)");
        map.put("threads", Integer.toString(threads));
        map.put("connect rate", Double.isInfinite(connectRate) ? "unpaced" : formatRate(connectRate) + "/s");
        map.put("timeout", seconds(timeoutNs) + " s");
        map.put("idle", idleMode.name().toLowerCase(java.util.Locale.ROOT));
        if (!udp) {
            map.put("reconnect", (reconnect ? "yes" : "no (--no-reconnect)") + (requestsPerConnection > 0
                ? ", each connection closed after " + requestsPerConnection + " replies" : ""));
        }
        if (!bindAddresses.isEmpty()) {
            map.put("bind", bindAddresses.size() + " source addresses from "
                + bindAddresses.get(0).getHostAddress());
        }
        return map;
    }

    /**
     * The settings for the JSON summary: camelCase keys, numbers as numbers, units in the key names.
     *
     * @return key to value, in display order
     */
    public Map<String, Object> jsonParameters() {
        final Map<String, Object> map = new LinkedHashMap<>();
        map.put("target", target.getAddress().getHostAddress() + ":" + target.getPort());
        map.put("protocol", protocol.name());
        map.put("transport", udp ? "udp" : "tcp");
        map.put("connections", connections);
        map.put("closedLoop", closedLoop);
        map.put("rateTarget", closedLoop ? 0.0 : rate);
        map.put("pipeline", pipeline);
        map.put("sizeBytes", size);
        map.put("durationS", durationNs / 1e9);
        map.put("warmupS", warmupNs / 1e9);
        map.put("threads", threads);
        map.put("connectRate", Double.isInfinite(connectRate) ? null : connectRate);
        map.put("connectTimeoutS", connectTimeoutNs / 1e9);
        map.put("timeoutS", timeoutNs / 1e9);
        map.put("idle", idleMode.name().toLowerCase(java.util.Locale.ROOT));
        map.put("reconnect", reconnect && !udp);
        map.put("requestsPerConnection", requestsPerConnection > 0 ? requestsPerConnection : null);
        final Map<String, Object> options = new LinkedHashMap<>();
        for (final ProtocolOption<?> option : protocol.clientOptions()) {
            final Object value = protocolOptions.get(option);
            options.put(camelCase(option.name()), value instanceof Number || value instanceof Boolean || value == null
                ? value : protocolOptions.text(option));
        }
        map.put("protocolOptions", options);
        map.put("bindAddresses", bindAddresses.size());
        return map;
    }

    /** @return {@code --max-line} as {@code maxLine} */
    private static String camelCase(final String flag) {
        final StringBuilder name = new StringBuilder();
        boolean upper = false;
        for (final char c : flag.replaceFirst("^-+", "").toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                name.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return name.toString();
    }

    private static String seconds(final long ns) {
        final double s = ns / 1e9;
        return s == Math.rint(s) ? Long.toString((long) s) : String.format(java.util.Locale.ROOT, "%.3f", s);
    }

    private static String formatRate(final double value) {
        return value == Math.rint(value) ? Long.toString((long) value)
            : String.format(java.util.Locale.ROOT, "%.1f", value);
    }
}
