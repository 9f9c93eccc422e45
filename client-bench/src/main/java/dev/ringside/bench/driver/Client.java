package dev.ringside.bench.driver;

import java.net.InetSocketAddress;
import java.util.Arrays;

import dev.ringside.bench.record.ErrorKind;
import dev.ringside.engine.buffer.ByteRing;
import dev.ringside.engine.endpoint.ConnectionListener;
import dev.ringside.engine.endpoint.TcpConnection;
import dev.ringside.engine.endpoint.UdpEndpoint;
import dev.ringside.engine.loop.TimerListener;
import dev.ringside.engine.protocol.ClientCodec;
import dev.ringside.engine.protocol.CloseReason;
import dev.ringside.engine.protocol.DatagramHandler;
import dev.ringside.engine.protocol.Outbound;
import dev.ringside.engine.protocol.Protocol;
import dev.ringside.engine.protocol.ReplyFault;
import dev.ringside.engine.protocol.ReplySink;
import dev.ringside.engine.protocol.Session;
import dev.ringside.engine.protocol.SessionContext;
import org.agrona.BitUtil;
import org.agrona.MutableDirectBuffer;

/**
 * One simulated client: a TCP connection or a connected UDP socket, its codec, and the requests it has in
 * flight. It is the connection's protocol session (the engine hands it inbound bytes), its datagram handler,
 * its connection listener, and the codec's sink; everything it learns goes to its {@link LoadDriver}.
 *
 * <p>In-flight requests sit in small primitive rings indexed by {@code seq & mask}: intended and actual send
 * times, and for UDP the sequence number held in each slot (replies can be lost, late or reordered). Over
 * TCP replies come in order, so the oldest request is always the one answered.
 *
 * <p><b>Reconnects.</b> A TCP client outlives its connections: when one closes, the requests in flight on it
 * end ({@code closedInFlight}), and the driver may open another. Sequence numbers ({@code nextSeq}, the
 * open-loop schedule's) run on across connections, so the schedule is kept; the codec, whose decoding state
 * belongs to one byte stream, is replaced, and sees sequence numbers counted from the connection's first
 * request ({@code seqBase}). With {@code --requests-per-connection N} a connection takes N requests and is
 * closed by the client ({@link CloseReason#LOCAL_CLOSE}) once each of them has ended.
 */
final class Client implements Session, DatagramHandler, ReplySink, ConnectionListener, TimerListener {
    private final LoadDriver driver;
    private final int index;
    private final int globalId;
    private final int senderIndex;
    private final int publisherId;
    private ClientCodec codec;
    private final boolean udp;
    private final long[] intendedNs;
    private final long[] sentNs;
    private final long[] slotSeq;
    private final int mask;
    private final long[] lastChatSeq;
    private final Protocol sessionFactory;
    private TcpConnection connection;
    private UdpEndpoint endpoint;
    private boolean open;
    private long nextSeq;
    private long ackSeq;
    private int inFlight;
    private long timeoutCountedBelow;
    private long highestReplySeq = -1;
    boolean retryQueued;
    /** The status the codec reported for the reply it is about to report (0: none). */
    private int status;
    /** Requests allowed per connection; 0 for no limit. */
    private final int requestsPerConnection;
    /** Whether the codec sees sequence numbers per connection (TCP request/reply: see the class comment). */
    private final boolean perConnectionSeq;
    /** The first sequence number sent on the current connection. */
    private long seqBase;
    /** Requests written on the current connection. */
    private int sentOnConnection;
    /** Whether the codec has seen a connection since it was made (a new one needs a fresh codec). */
    private boolean codecUsed;
    private boolean connecting;
    private boolean attempted;
    private boolean everOpened;
    private boolean firstAttemptResolved;
    private long connectStartNs;
    /** Whether it waits in the driver's connect queue. */
    boolean connectQueued;
    /** Whether the attempt it waits for replaces a connection the client closed on purpose (not a reconnect). */
    boolean plannedReopen;
    /**
     * Whether a loop timer is armed for its requests' timeout (the driver's; see {@code LoadDriver.armTimeout}):
     * at most one per client, at or before the timeout of its oldest request that has not ended.
     */
    boolean timeoutArmed;

    Client(final LoadDriver driver, final int index, final int globalId, final int senderIndex,
        final int publisherId, final ClientCodec codec, final boolean udp, final int pipeline,
        final int chatPublishers, final int requestsPerConnection) {
        this.driver = driver;
        this.requestsPerConnection = requestsPerConnection;
        this.perConnectionSeq = !udp && chatPublishers == 0;
        this.index = index;
        this.globalId = globalId;
        this.senderIndex = senderIndex;
        this.publisherId = publisherId;
        this.codec = codec;
        this.udp = udp;
        // UDP slots can stay taken until a lost request times out; room for four times the pipeline keeps
        // a late slot from blocking the next send in all but pathological cases.
        final int capacity = BitUtil.findNextPositivePowerOfTwo(udp ? pipeline * 4 : pipeline);
        this.intendedNs = new long[capacity];
        this.sentNs = new long[capacity];
        this.slotSeq = new long[capacity];
        Arrays.fill(slotSeq, -1);
        this.mask = capacity - 1;
        this.lastChatSeq = chatPublishers > 0 ? new long[chatPublishers] : null;
        if (lastChatSeq != null) {
            Arrays.fill(lastChatSeq, -1);
        }
        final Session session = this;
        this.sessionFactory = new Protocol() {
            @Override
            public String name() {
                return "bench-client";
            }

            @Override
            public Session newSession(final SessionContext context) {
                return session;
            }

            @Override
            public DatagramHandler newDatagramHandler(final String localAddress) {
                throw new UnsupportedOperationException("a generator client is a TCP connection: no datagrams");
            }
        };
    }

    // ---------------------------------------------------------------------------------------------------
    // Life cycle
    // ---------------------------------------------------------------------------------------------------

    Protocol sessionFactory() {
        return sessionFactory;
    }

    void attachConnection(final TcpConnection tcp) {
        this.connection = tcp;
    }

    /**
     * Starts a connection attempt's bookkeeping.
     *
     * @param nowNs     when {@code connect()} is called
     * @param freshCodec a codec for the new stream, used when the current one has seen a connection
     * @return whether this is a later attempt (a reconnect or a reopen), not the client's first
     */
    boolean beginAttempt(final long nowNs, final ClientCodec freshCodec) {
        final boolean again = attempted;
        attempted = true;
        connecting = true;
        connectStartNs = nowNs;
        if (codecUsed && freshCodec != null) {
            codec = freshCodec;
            codecUsed = false;
        }
        return again;
    }

    /** @return whether the current codec has decoded a stream (a new connection needs another) */
    boolean codecUsed() {
        return codecUsed;
    }

    /** @return when the current connection attempt called {@code connect()} */
    long connectStartNs() {
        return connectStartNs;
    }

    /** @return whether it was connected at some point (counts once per client) */
    boolean markOpenedOnce() {
        final boolean first = !everOpened;
        everOpened = true;
        return first;
    }

    /** @return whether this is the first of its attempts to end, established or failed (counts the ramp) */
    boolean markFirstAttemptResolved() {
        final boolean first = !firstAttemptResolved;
        firstAttemptResolved = true;
        return first;
    }

    /** @return whether an attempt is under way */
    boolean isConnecting() {
        return connecting;
    }

    void openDatagrams(final UdpEndpoint socket) {
        this.endpoint = socket;
        this.open = true;
        this.connecting = false;
    }

    /** The attempt failed before the engine took it (no socket, no source port): it is over. */
    void onAttemptAbandoned() {
        connecting = false;
    }

    @Override
    public void onConnected(final TcpConnection tcp) {
        this.connection = tcp;
        this.open = true;
        this.connecting = false;
        this.codecUsed = true;
        this.sentOnConnection = 0;
        this.seqBase = perConnectionSeq ? nextSeq : 0;
        driver.onClientOpened(this);
    }

    @Override
    public void onClosed(final TcpConnection tcp, final CloseReason reason) {
        if (open && (reason == CloseReason.PEER_CLOSED || reason == CloseReason.EOF_MID_FRAME)) {
            // A reply delimited by the server's close (an HTTP/1.0 body) is complete now.
            driver.beginReceive();
            try {
                codec.onEndOfStream(this);
            } finally {
                driver.endReceive(null);
            }
        }
        final boolean wasOpen = open;
        open = false;
        connecting = false;
        // Every request still owed a reply ends here, in its own kind: the bytes of a reply can never come on
        // another connection. Those already counted as timeouts have ended before.
        final long end = ackSeq + inFlight;
        for (long seq = firstUnended(); seq < end; seq++) {
            driver.onRequestFailed(intendedNs[(int) seq & mask], ErrorKind.CLOSED_IN_FLIGHT);
        }
        inFlight = 0;
        ackSeq = nextSeq;
        timeoutCountedBelow = nextSeq;
        driver.onClientClosed(this, wasOpen, reason);
    }

    /** @return TCP: the oldest request that has not ended yet (older ones timed out, though they hold a slot) */
    private long firstUnended() {
        return Math.max(ackSeq, timeoutCountedBelow);
    }

    // ---------------------------------------------------------------------------------------------------
    // Sending
    // ---------------------------------------------------------------------------------------------------

    /**
     * @param pipeline most requests in flight
     * @return whether another request may go out now
     */
    boolean canSend(final int pipeline) {
        if (!open) {
            return false;
        }
        if (publisherId >= 0) {
            return true; // a chat publisher expects no replies: pure open loop
        }
        return inFlight < pipeline && (!udp || slotSeq[(int) nextSeq & mask] < 0)
            && (requestsPerConnection == 0 || sentOnConnection < requestsPerConnection);
    }

    /**
     * @return whether the connection has taken its {@code --requests-per-connection} and each of them has ended
     *         (answered or timed out): time to close it and open the next
     */
    private boolean isSpent() {
        return requestsPerConnection > 0 && open && sentOnConnection >= requestsPerConnection
            && firstUnended() >= nextSeq;
    }

    /**
     * Encodes and queues one request on the connection (TCP; {@link #flush()} writes it) or sends it (UDP).
     *
     * @return 1 when sent (or, over UDP, consumed by a failed send), 0 when the connection cannot take it
     *         now, -1 when the datagram could not be sent
     */
    int send(final MutableDirectBuffer scratch, final long seq, final long intended, final long sent) {
        final int length = codec.encode(scratch, seq - seqBase, intended, sent);
        if (udp) {
            if (!endpoint.send(scratch, 0, length)) {
                nextSeq = seq + 1;
                return -1;
            }
        } else if (!connection.write(scratch, 0, length)) {
            return 0;
        }
        nextSeq = seq + 1;
        sentOnConnection++;
        if (publisherId < 0) {
            final int slot = (int) seq & mask;
            intendedNs[slot] = intended;
            sentNs[slot] = sent;
            slotSeq[slot] = seq;
            inFlight++;
        }
        return 1;
    }

    /** Writes what {@link #send} queued on the connection now (one system call for a batch of requests). */
    void flush() {
        if (!udp && open) {
            connection.flushNow();
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Receiving
    // ---------------------------------------------------------------------------------------------------

    @Override
    public int onData(final ByteRing inbound, final Outbound out) {
        driver.beginReceive();
        final int replies;
        try {
            replies = codec.decode(inbound, this);
        } catch (final RuntimeException ex) {
            driver.endReceive(null); // no latency batch may stay open (the reporting thread would wait on it)
            throw ex;
        }
        if (replies == ClientCodec.MALFORMED) {
            driver.endReceive(null);
            out.close(CloseReason.PROTOCOL_ERROR);
            return 0;
        }
        if (replies == ClientCodec.END_OF_CONNECTION) {
            // The server said this reply is the connection's last (HTTP Connection: close): it is closing, so
            // close now, counted as the server's close; reopening it is the reconnect logic's job.
            driver.endReceive(null);
            out.close(CloseReason.PEER_CLOSED);
            return 1;
        }
        driver.endReceive(this);
        if (isSpent()) {
            out.close(CloseReason.LOCAL_CLOSE); // the driver opens the next connection
        }
        return replies;
    }

    @Override
    public int onDatagram(final MutableDirectBuffer buffer, final int length, final InetSocketAddress sender) {
        driver.beginReceive();
        try {
            codec.decodeDatagram(buffer, length, this);
        } catch (final RuntimeException ex) {
            driver.endReceive(null);
            throw ex;
        }
        driver.endReceive(this);
        return DatagramHandler.NO_REPLY;
    }

    @Override
    public boolean onReply(final long seq, final ReplyFault fault) {
        final ErrorKind error = ErrorKind.of(fault);
        final int slot;
        if (udp) {
            final long answered = seq == OLDEST ? oldestInFlight() : seq;
            if (answered == UNKNOWN || seq == UNKNOWN) {
                driver.onUnmatchedReply();
                return true;
            }
            slot = (int) answered & mask;
            if (answered < 0 || slotSeq[slot] != answered) {
                // Counted lost already, a duplicate, or not ours.
                driver.onLateReply();
                return true;
            }
            if (answered < highestReplySeq) {
                driver.onReordered();
            } else {
                highestReplySeq = answered;
            }
        } else {
            if (inFlight == 0) {
                return false; // bytes nobody asked for: the stream is not what we think it is
            }
            slot = (int) ackSeq & mask;
            final boolean ended = ackSeq < timeoutCountedBelow;
            ackSeq++;
            if (ended) {
                // Its request already ended as a response timeout; the reply frees the slot and nothing more.
                inFlight--;
                driver.onLateReply();
                return true;
            }
        }
        slotSeq[slot] = -1;
        inFlight--;
        if (status > 0) {
            driver.onStatus(intendedNs[slot], status);
            status = 0;
        }
        driver.onReply(intendedNs[slot], sentNs[slot], error);
        return true;
    }

    private long oldestInFlight() {
        long oldest = Long.MAX_VALUE;
        for (int i = 0; i <= mask; i++) {
            if (slotSeq[i] >= 0 && slotSeq[i] < oldest) {
                oldest = slotSeq[i];
            }
        }
        return oldest == Long.MAX_VALUE ? UNKNOWN : oldest;
    }

    @Override
    public void onDelivery(final int publisher, final long seq, final long intended, final long sent,
        final ReplyFault fault) {
        final ErrorKind error = ErrorKind.of(fault);
        if (publisher == publisherId && publisher >= 0) {
            return; // our own line, echoed by a server that sends lines back to their sender
        }
        if (publisher >= 0 && publisher < lastChatSeq.length) {
            if (seq != lastChatSeq[publisher] + 1) {
                driver.onChatOutOfOrder();
            }
            lastChatSeq[publisher] = seq;
        } else if (error == null) {
            driver.onForeignLine();
            return;
        }
        driver.onDelivery(intended, sent, error);
    }

    @Override
    public void onStatus(final int value) {
        this.status = value;
    }

    @Override
    public void onForeignLine() {
        driver.onForeignLine();
    }

    // ---------------------------------------------------------------------------------------------------
    // Timeouts
    // ---------------------------------------------------------------------------------------------------

    /**
     * Ends the requests older than the timeout: over TCP each ends as a response timeout but keeps its slot
     * (its reply may still come and must be read past); over UDP each ends lost and its slot is freed.
     *
     * @param nowNs     the time now
     * @param timeoutNs the response timeout
     * @return requests that timed out in this call
     */
    int expire(final long nowNs, final long timeoutNs) {
        if (inFlight == 0) {
            return 0;
        }
        int expired = 0;
        if (udp) {
            for (int i = 0; i <= mask; i++) {
                if (slotSeq[i] >= 0 && nowNs - sentNs[i] >= timeoutNs) {
                    slotSeq[i] = -1;
                    inFlight--;
                    expired++;
                    driver.onRequestFailed(intendedNs[i], ErrorKind.UDP_LOSS);
                }
            }
        } else {
            long seq = firstUnended();
            final long end = ackSeq + inFlight;
            while (seq < end && nowNs - sentNs[(int) seq & mask] >= timeoutNs) {
                driver.onRequestFailed(intendedNs[(int) seq & mask], ErrorKind.RESPONSE_TIMEOUT);
                seq++;
                expired++;
            }
            timeoutCountedBelow = seq;
            if (expired > 0 && isSpent()) {
                connection.close(CloseReason.LOCAL_CLOSE); // its last request timed out: open the next one
            }
        }
        return expired;
    }

    /** @return whether a request is in flight that has not ended (answered, timed out, closed) */
    boolean hasUnended() {
        if (udp) {
            return inFlight > 0;
        }
        return firstUnended() < ackSeq + inFlight;
    }

    /**
     * @return when the oldest request that has not ended was sent (call only when {@link #hasUnended()}); its
     *         timeout is the client's next
     */
    long oldestUnendedSentNs() {
        if (!udp) {
            return sentNs[(int) firstUnended() & mask];
        }
        final long seq = oldestInFlight();
        return sentNs[(int) seq & mask];
    }

    @Override
    public void onTimerExpiry(final long nowNs, final long timerId) {
        timeoutArmed = false;
        driver.onTimeoutDue(this, nowNs);
    }

    /**
     * At the end of a run: hands every request that has not ended to the driver as in flight at the end, and
     * clears the in-flight state.
     */
    void abandonAtEnd() {
        if (udp) {
            for (int i = 0; i <= mask; i++) {
                if (slotSeq[i] >= 0) {
                    driver.onInFlightAtEnd(intendedNs[i]);
                }
            }
        } else {
            final long end = ackSeq + inFlight;
            for (long seq = firstUnended(); seq < end; seq++) {
                driver.onInFlightAtEnd(intendedNs[(int) seq & mask]);
            }
            ackSeq = nextSeq;
            timeoutCountedBelow = nextSeq;
        }
        inFlight = 0;
        Arrays.fill(slotSeq, -1);
    }

    // ---------------------------------------------------------------------------------------------------
    // Inspection
    // ---------------------------------------------------------------------------------------------------

    int index() {
        return index;
    }

    int globalId() {
        return globalId;
    }

    /** @return index in the open-loop schedule, or -1 when this client does not send (chat subscriber) */
    int senderIndex() {
        return senderIndex;
    }

    boolean isUdp() {
        return udp;
    }

    boolean isOpen() {
        return open;
    }

    int inFlight() {
        return inFlight;
    }

    long nextSeq() {
        return nextSeq;
    }

    TcpConnection connection() {
        return connection;
    }

    UdpEndpoint endpoint() {
        return endpoint;
    }
}
