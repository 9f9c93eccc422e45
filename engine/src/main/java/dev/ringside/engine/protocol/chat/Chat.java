package dev.ringside.engine.protocol.chat;

import java.util.List;

import dev.ringside.engine.protocol.ClientSetup;
import dev.ringside.engine.protocol.CodecFactory;
import dev.ringside.engine.protocol.Exchange;
import dev.ringside.engine.protocol.OptionValues;
import dev.ringside.engine.protocol.ProtocolOption;
import dev.ringside.engine.protocol.ProtocolSpec;
import dev.ringside.engine.protocol.ServerEnvironment;
import dev.ringside.engine.protocol.SizeRule;
import org.agrona.BitUtil;

/**
 * {@code chat}, declared once for every command: newline-delimited lines, each broadcast to every other member
 * of one room. TCP only. Its sessions share the room ({@link ChatProtocol#sharesState()}).
 */
public final class Chat {
    /** Largest room ring: 1 GiB. */
    static final int MAX_ROOM_CAPACITY_BYTES = 1 << 30;
    /** Default longest line, newline excluded. */
    public static final int DEFAULT_MAX_LINE_BYTES = 4096;

    /** Server: the longest line. */
    public static final ProtocolOption<Integer> MAX_LINE = ProtocolOption.bytes("--max-line", "4k", 1,
        "longest line, newline excluded; longer closes the sender");
    /** Server: echo to self. */
    public static final ProtocolOption<Boolean> ECHO_SELF =
        ProtocolOption.flag("--echo-self", "send each line back to its sender too");
    /** Server: who said what ({@link ChatNames}). */
    public static final ProtocolOption<Boolean> NAMES = ProtocolOption.flag("--names",
        "prefix each line with its sender's name ([HOST:PORT] until it sends /nick NAME); announce joins and leaves");
    /** Server: the room's broadcast ring. */
    public static final ProtocolOption<Integer> ROOM_CAPACITY = ProtocolOption.bytes("--room-capacity", null, 1024,
        "the room's broadcast ring, rounded up to a power of two (default 16 x --ring-capacity): every line is held "
            + "once there; a member more than this behind is cut as a slow consumer");
    /** Client: how many connections publish. */
    public static final ProtocolOption<Integer> PUBLISHERS = ProtocolOption.value("--publishers", "N", "1",
        "connections that publish; all members record deliveries", Integer::parseInt);

    /** The protocol. */
    public static final ProtocolSpec SPEC = ProtocolSpec.named("chat", "each line to every other member")
        .size(new SizeRule(true, "chat line", ChatCodec.MIN_LINE_BYTES, ChatCodec.MIN_LINE_BYTES,
            ChatCodec.MAX_LINE_BYTES, 0, true))
        // The default line limit must be smaller than the ring: a line is held whole until its newline.
        .server(List.of(MAX_LINE, ECHO_SELF, NAMES, ROOM_CAPACITY), 2 * DEFAULT_MAX_LINE_BYTES, Chat::server)
        .client(List.of(PUBLISHERS), Exchange.BROADCAST, Chat::client)
        .build();

    private Chat() {
    }

    private static ChatProtocol server(final OptionValues options, final ServerEnvironment environment) {
        final int maxLine = options.get(MAX_LINE);
        if (maxLine >= environment.ringCapacityBytes()) {
            throw new IllegalArgumentException("--max-line " + maxLine + " must be smaller than --ring-capacity ("
                + environment.ringCapacityBytes() + " bytes); raise --ring-capacity or lower --max-line");
        }
        final Integer given = options.get(ROOM_CAPACITY);
        final long wanted = given != null ? given : 16L * environment.ringCapacityBytes();
        if (wanted > MAX_ROOM_CAPACITY_BYTES) {
            throw new IllegalArgumentException("--room-capacity " + wanted + " is more than the largest room ("
                + MAX_ROOM_CAPACITY_BYTES + " bytes); lower it (or --ring-capacity)");
        }
        final LoopChatRoom room = new LoopChatRoom(options.get(ECHO_SELF),
            BitUtil.findNextPositivePowerOfTwo((int) wanted));
        return new ChatProtocol(room, maxLine, options.get(NAMES));
    }

    private static CodecFactory client(final OptionValues options, final ClientSetup setup) {
        final int publishers = options.get(PUBLISHERS);
        if (publishers < 1 || publishers > setup.connections()) {
            throw new IllegalArgumentException("--publishers must be 1..--connections (" + setup.connections()
                + "), got " + publishers);
        }
        if (setup.connections() < 2) {
            throw new IllegalArgumentException("chat needs at least 2 connections (a line goes to the other members)");
        }
        if (setup.threads() > publishers) {
            throw new IllegalArgumentException("chat: --threads must not exceed --publishers (" + publishers
                + "), so that every thread publishes");
        }
        return new CodecFactory() {
            @Override
            public ChatCodec newCodec(final int connectionId) {
                return new ChatCodec(connectionId, setup.size());
            }

            @Override
            public int senders(final int connections) {
                return publishers;
            }
        };
    }
}
