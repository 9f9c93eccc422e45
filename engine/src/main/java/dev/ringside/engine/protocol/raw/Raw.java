package dev.ringside.engine.protocol.raw;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.ringside.engine.protocol.ClientSetup;
import dev.ringside.engine.protocol.CodecFactory;
import dev.ringside.engine.protocol.Exchange;
import dev.ringside.engine.protocol.OptionValues;
import dev.ringside.engine.protocol.ProtocolOption;
import dev.ringside.engine.protocol.ProtocolSpec;
import dev.ringside.engine.protocol.ReplyFault;
import dev.ringside.engine.protocol.SizeRule;

/**
 * {@code raw}, declared once for every command: drives any request/response server (tcpkali's model). Each
 * request is a fixed message ({@code --message}, repeatable and sent round-robin, or {@code --message-file});
 * over TCP a reply ends after {@code --reply-bytes N} or at the first {@code --reply-until STR}; over UDP
 * a datagram is a reply, and those options, when given, check it. Client-only: there is nothing to serve.
 */
public final class Raw {
    /** Longest message, as for any generator request. */
    static final int MAX_MESSAGE_BYTES = SizeRule.MAX_TCP_BYTES;

    /** Client: a message, C escapes allowed. */
    public static final ProtocolOption<Request> MESSAGE = ProtocolOption.value("--message", "STR", null,
        "request bytes, with C escapes (\\r \\n \\t \\0 \\\\ \\xHH); repeat to send several round-robin",
        text -> new Request(text, CEscapes.decode("it", text))).repeatable();
    /** Client: a file holding the message as is. */
    public static final ProtocolOption<Request> MESSAGE_FILE = ProtocolOption.value("--message-file", "FILE",
        null, "request bytes: the file's content, sent as is", Raw::readMessageFile);
    /** Client: a reply's length. */
    public static final ProtocolOption<Integer> REPLY_BYTES = ProtocolOption.bytes("--reply-bytes", null, 1,
        "a reply is this many bytes (UDP: a reply datagram must be this long)");
    /** Client: what ends a reply. */
    public static final ProtocolOption<byte[]> REPLY_UNTIL = ProtocolOption.value("--reply-until", "STR", null,
        "a reply ends at the first occurrence of STR, C escapes allowed (UDP: a reply datagram must end with it)",
        Raw::marker);

    /**
     * A well-formed reply in which the server reports an error of its own (RESP {@code -ERR ...}, memcached
     * {@code ERROR}, {@code CLIENT_ERROR}, {@code SERVER_ERROR}, {@code NOT_STORED}): whichever framer says so
     * ({@link ReplyFramer#ERROR_REPLY}). It answers its request, so its latency is still recorded.
     */
    public static final ReplyFault ERROR_REPLY = ReplyFault.declare("errorReply", "error reply", true);

    /** The protocol. */
    public static final ProtocolSpec SPEC = ProtocolSpec.named("raw",
            "any request/response server: --message, reply framed by --reply-bytes or --reply-until")
        .datagrams()
        .client(List.of(MESSAGE, MESSAGE_FILE, REPLY_BYTES, REPLY_UNTIL), Exchange.REQUEST_REPLY, Raw::client)
        .faults(ERROR_REPLY)
        .build();

    private Raw() {
    }

    private static CodecFactory client(final OptionValues options, final ClientSetup setup) {
        final List<Request> messages = new ArrayList<>(options.all(MESSAGE));
        if (options.isSet(MESSAGE_FILE)) {
            if (!messages.isEmpty()) {
                throw new IllegalArgumentException("raw takes --message or --message-file, not both");
            }
            messages.add(options.get(MESSAGE_FILE));
        }
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("raw needs the request to send: --message STR or --message-file FILE");
        }
        final int maxBytes = setup.udp() ? SizeRule.MAX_UDP_BYTES : MAX_MESSAGE_BYTES;
        for (final Request message : messages) {
            if (message.bytes().length == 0 || message.bytes().length > maxBytes) {
                throw new IllegalArgumentException("a raw message must be 1 to " + maxBytes + " bytes"
                    + (setup.udp() ? " over UDP" : "") + ", not " + message.bytes().length);
            }
        }
        final boolean byBytes = options.isSet(REPLY_BYTES);
        final boolean byMarker = options.isSet(REPLY_UNTIL);
        if (byBytes && byMarker) {
            throw new IllegalArgumentException("raw takes --reply-bytes or --reply-until, not both");
        }
        if (!setup.udp() && !byBytes && !byMarker) {
            throw new IllegalArgumentException("raw over TCP needs to know where a reply ends: --reply-bytes N or "
                + "--reply-until STR (for example --reply-until '\\r\\n')");
        }
        final int replyBytes = byBytes ? options.get(REPLY_BYTES) : 0;
        final byte[] marker = byMarker ? options.get(REPLY_UNTIL) : new byte[0];
        final RequestRotation requests = new RequestRotation(Request.wireBytes(messages));
        final DatagramCheck check = new DatagramCheck(replyBytes, marker);
        final String description = Request.describe(messages);
        return new CodecFactory() {
            @Override
            public RequestReplyCodec newCodec(final int connectionId) {
                // Over UDP without either option there is no stream to frame: each datagram is a reply.
                final ReplyFramer framer = byBytes ? new ByteCountFramer(replyBytes)
                    : byMarker ? new MarkerFramer(marker) : null;
                return new RequestReplyCodec(requests, framer, check);
            }

            @Override
            public String describeRequest() {
                return description;
            }
        };
    }

    private static byte[] marker(final String text) {
        final byte[] marker = CEscapes.decode("it", text);
        if (marker.length == 0) {
            throw new IllegalArgumentException("must not be empty");
        }
        return marker;
    }

    private static Request readMessageFile(final String name) {
        try {
            final Path path = Path.of(name);
            final long size = Files.size(path);
            if (size == 0 || size > MAX_MESSAGE_BYTES) {
                throw new IllegalArgumentException("the file holds " + size + " bytes; a message is 1 to "
                    + MAX_MESSAGE_BYTES);
            }
            return new Request("the bytes of " + name, Files.readAllBytes(path));
        } catch (final NoSuchFileException ex) {
            throw new IllegalArgumentException("no such file");
        } catch (final IOException | InvalidPathException ex) {
            throw new IllegalArgumentException("cannot read it: " + ex.getMessage());
        }
    }
}
