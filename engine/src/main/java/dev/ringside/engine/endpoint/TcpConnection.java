package dev.ringside.engine.endpoint;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

import dev.ringside.engine.buffer.BroadcastReader;
import dev.ringside.engine.buffer.ByteRing;
import dev.ringside.engine.config.LoopConfig;
import dev.ringside.engine.counter.EngineCounter;
import dev.ringside.engine.counter.LoopCounters;
import dev.ringside.engine.loop.DeferredFlush;
import dev.ringside.engine.loop.EventLoop;
import dev.ringside.engine.loop.LoopResource;
import dev.ringside.engine.loop.RingWaiter;
import dev.ringside.engine.loop.SelectHandler;
import dev.ringside.engine.loop.TimerListener;
import dev.ringside.engine.protocol.CloseReason;
import dev.ringside.engine.protocol.Outbound;
import dev.ringside.engine.protocol.Protocol;
import dev.ringside.engine.protocol.Session;
import dev.ringside.engine.protocol.SessionContext;
import org.agrona.DirectBuffer;

/**
 * One TCP socket on an event loop, accepted by a listener or connected outbound.
 *
 * <p><b>States.</b> {@code CONNECTING} (outbound, waiting for {@code OP_CONNECT}) → {@code ACTIVE} (reading and
 * writing) → {@code DRAINING} (no more reading; closes once output is sent: after the session asked for it,
 * after the peer's EOF with output pending, or on shutdown) → {@code CLOSED}.
 *
 * <p><b>Why an active connection is not reading.</b> Each reason is one bit of {@code readBlockers}; reading is
 * on exactly when the state is {@code ACTIVE} and no bit is set. Interest ops are computed in one place,
 * {@link #updateInterest()}, from the state, the reasons and whether output is queued.
 * <table>
 * <caption>Reasons that stop reading</caption>
 * <tr><th>reason</th><th>set when</th><th>cleared when</th></tr>
 * <tr><td>{@code OUTPUT}</td><td>outbound bytes reach high water, or the inbound ring is full while output
 *     is queued</td><td>outbound bytes fall to low water or below (hysteresis: no flapping)</td></tr>
 * <tr><td>{@code POOL}</td><td>bytes arrived but the pool had no ring for them</td><td>a ring comes back
 *     ({@link RingWaiter#onRingAvailable()})</td></tr>
 * <tr><td>{@code END_OF_STREAM}</td><td>the peer's EOF arrived while whole requests wait for output room
 *     (the EOF stays readable, so reading would spin)</td><td>never: once the held input is answered the EOF
 *     is judged (drain or close)</td></tr>
 * </table>
 * <table>
 * <caption>Interest ops by state</caption>
 * <tr><th>state</th><th>OP_CONNECT</th><th>OP_READ</th><th>OP_WRITE</th></tr>
 * <tr><td>CONNECTING</td><td>yes</td><td>no</td><td>no</td></tr>
 * <tr><td>ACTIVE</td><td>no</td><td>no reason set</td><td>output queued</td></tr>
 * <tr><td>DRAINING</td><td>no</td><td>no</td><td>output queued</td></tr>
 * <tr><td>CLOSED</td><td colspan="3">key cancelled</td></tr>
 * </table>
 *
 * <p><b>Delivery.</b> {@link #deliver()} is the one loop that offers input to the session: offer, send the
 * output, and offer again only while input was consumed and the output drained at once. A session may leave
 * whole requests when its output does not fit; that input is <em>held for output</em> and offered again by
 * {@link #onOutputProgress()} once a later write frees room, since the peer may send nothing that would
 * trigger another read. Writing never calls back into delivery, so delivery is never re-entered.
 *
 * <p><b>Deadlines.</b> Besides the idle timeout (any traffic moves it) two deadlines cannot be moved by a peer
 * that trickles: a frame left partly in the inbound ring must complete within the frame timeout, counted from
 * when it started (only consuming a frame starts the next one's clock), and queued output must make progress
 * within the write timeout, counted from the last byte written. Each timer is armed once and re-armed lazily
 * on expiry, never per read or write.
 *
 * <p><b>Memory.</b> The inbound and outbound rings are leased from the loop's pool only while they hold bytes
 * and returned as soon as they are empty, so an idle connection holds none. When the pool is exhausted the
 * connection stops reading ({@code POOL}) and waits for a ring instead of allocating.
 *
 * <p><b>Writes.</b> The session's output goes into the outbound ring and is written at once, after the session
 * returns; {@code OP_WRITE} is on only while output is queued. Output queued by another connection's session
 * (a chat broadcast) is written at the end of the cycle.
 */
public final class TcpConnection extends LoopResource
    implements SelectHandler, Outbound, TimerListener, DeferredFlush, RingWaiter {

    /** Life-cycle states; see the class comment. */
    public enum State {
        /** Outbound connect in progress. */
        CONNECTING,
        /** Reading and writing. */
        ACTIVE,
        /** Sending what is left, then closing. */
        DRAINING,
        /** Closed; every resource returned. */
        CLOSED
    }

    /** Reason bit: output is backed up (see the class comment). */
    private static final int BLOCKED_BY_OUTPUT = 1;
    /** Reason bit: the pool had no ring for inbound bytes. */
    private static final int BLOCKED_BY_POOL = 1 << 1;
    /** Reason bit: the peer's EOF waits behind input held for output. */
    private static final int BLOCKED_BY_END_OF_STREAM = 1 << 2;
    private static final long NO_TIMER = -1;

    private final EventLoop loop;
    private final LoopCounters counters;
    private final SocketChannel channel;
    private final ConnectionListener listener;
    private final long idleTimeoutNs;
    private final long frameTimeoutNs;
    private final long writeTimeoutNs;
    private final int highWaterBytes;
    private final int lowWaterBytes;
    private final int ringCapacityBytes;
    private final int ringStartBytes;
    private final Protocol protocol;
    private final long id;
    private final boolean initiatedLocally;
    private SelectionKey key;
    private Session session;
    private SessionContext context;
    private ByteRing inbound;
    private ByteRing outbound;
    /** A shared ring this connection sends from after its own output (a chat member's room), or null. */
    private BroadcastReader feed;
    private State state;
    private int interestOps;
    /** Bit set of {@code BLOCKED_BY_*} reasons; reading is on when it is 0 and the state is ACTIVE. */
    private int readBlockers;
    private long lastActivityNs;
    private long idleTimerId = NO_TIMER;
    private long connectTimerId = NO_TIMER;
    /** When the frame now held in the inbound ring started; meaningful while {@code frameStarted}. */
    private long frameStartNs;
    private boolean frameStarted;
    private long frameTimerId = NO_TIMER;
    /** Last time queued output moved (or was first queued): the write timeout counts from here. */
    private long writeProgressNs;
    private long writeTimerId = NO_TIMER;
    private boolean flushQueued;
    /** The last flush left output unsent: the write timeout counts from {@code writeProgressNs}. */
    private boolean outputStalled;
    private boolean delivering;
    /** The session left whole requests because its output did not fit: offer them again when output moves. */
    private boolean inputHeldForOutput;
    private CloseReason drainReason;
    private Object attachment;

    private TcpConnection(final EventLoop loop, final SocketChannel channel, final Protocol protocol,
        final ConnectionListener listener, final long id, final State state) {
        this.loop = loop;
        this.counters = loop.counters();
        this.channel = channel;
        this.protocol = protocol;
        this.listener = listener;
        this.id = id;
        this.state = state;
        this.initiatedLocally = state == State.CONNECTING;
        final LoopConfig config = loop.config();
        this.idleTimeoutNs = config.idleTimeoutNs();
        this.frameTimeoutNs = config.frameTimeoutNs();
        this.writeTimeoutNs = config.writeTimeoutNs();
        this.highWaterBytes = config.highWaterBytes();
        this.lowWaterBytes = config.lowWaterBytes();
        this.ringCapacityBytes = config.ringCapacityBytes();
        this.ringStartBytes = config.ringStartBytes();
    }

    /**
     * Takes over an accepted socket (loop thread).
     *
     * @param loop     the owning loop
     * @param channel  the accepted socket
     * @param protocol makes its session
     * @param listener hears its life
     * @param id       loop-unique id
     * @return the active connection
     * @throws IOException when the socket cannot be configured or registered
     */
    static TcpConnection accepted(final EventLoop loop, final SocketChannel channel, final Protocol protocol,
        final ConnectionListener listener, final long id) throws IOException {
        configure(channel, loop.config());
        final TcpConnection connection = new TcpConnection(loop, channel, protocol, listener, id, State.ACTIVE);
        connection.key = channel.register(loop.selector(), SelectionKey.OP_READ, connection);
        connection.interestOps = SelectionKey.OP_READ;
        loop.addResource(connection);
        connection.onEstablished();
        return connection;
    }

    /**
     * Starts an outbound connection (loop thread). Completion, or failure, is reported to the listener.
     *
     * @param loop      the owning loop
     * @param remote    where to connect
     * @param local     source address to bind, or {@code null} for any
     * @param protocol  makes its session
     * @param listener  hears its life
     * @param id        loop-unique id
     * @return the connection, {@code CONNECTING} or already {@code ACTIVE}
     * @throws IOException when the socket cannot be created, bound or registered (for example no free port)
     */
    public static TcpConnection connect(final EventLoop loop, final InetSocketAddress remote,
        final InetSocketAddress local, final Protocol protocol, final ConnectionListener listener, final long id)
        throws IOException {
        final SocketChannel channel = SocketChannel.open(AddressFamily.of(remote));
        final TcpConnection connection;
        try {
            configure(channel, loop.config());
            if (local != null) {
                if (local.getPort() != 0) {
                    // A chosen source port may still be in TIME_WAIT from an earlier connection: Linux lets a socket
                    // with SO_REUSEADDR bind it (neither listens), and connect() still refuses a 4-tuple in use.
                    channel.setOption(StandardSocketOptions.SO_REUSEADDR, Boolean.TRUE);
                }
                channel.bind(local);
            }
            connection = new TcpConnection(loop, channel, protocol, listener, id, State.CONNECTING);
            connection.key = channel.register(loop.selector(), 0, connection);
        } catch (final IOException | RuntimeException ex) {
            channel.close();
            throw ex;
        }
        loop.addResource(connection);
        boolean connected;
        try {
            connected = channel.connect(remote);
        } catch (final IOException ex) {
            connection.close(SocketErrors.reasonForConnect(ex));
            return connection;
        }
        if (connected) {
            connection.established();
        } else {
            connection.updateInterest();
            connection.connectTimerId =
                loop.scheduleTimer(loop.nowNs() + loop.config().connectTimeoutNs(), connection);
        }
        return connection;
    }

    private static void configure(final SocketChannel channel, final LoopConfig config) throws IOException {
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, Boolean.TRUE);
        if (config.socketSendBufferBytes() > 0) {
            channel.setOption(StandardSocketOptions.SO_SNDBUF, config.socketSendBufferBytes());
        }
        if (config.socketReceiveBufferBytes() > 0) {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, config.socketReceiveBufferBytes());
        }
    }

    private void onEstablished() {
        final long nowNs = loop.nowNs();
        lastActivityNs = nowNs;
        if (idleTimeoutNs > 0) {
            idleTimerId = loop.scheduleTimer(nowNs + idleTimeoutNs, this);
        }
        counters.increment(initiatedLocally ? EngineCounter.CONNECTIONS_CONNECTED : EngineCounter.CONNECTIONS_ACCEPTED);
        loop.onConnectionOpened();
        context = new SessionContext(id, address(true), address(false));
        session = protocol.newSession(context);
        session.onOpen(this);
        listener.onConnected(this);
    }

    private String address(final boolean remote) {
        try {
            return SocketErrors.format(remote ? channel.getRemoteAddress() : channel.getLocalAddress());
        } catch (final IOException ex) {
            return "?";
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Readiness
    // ---------------------------------------------------------------------------------------------------

    @Override
    public void onSelected(final SelectionKey selectedKey) {
        final int ready = selectedKey.readyOps();
        if ((ready & SelectionKey.OP_CONNECT) != 0) {
            finishConnect();
            if (state != State.ACTIVE) {
                return;
            }
        }
        if ((ready & SelectionKey.OP_WRITE) != 0) {
            flush();
            onOutputProgress();
            if (state == State.CLOSED) {
                return;
            }
        }
        if ((ready & SelectionKey.OP_READ) != 0) {
            onReadable();
        }
    }

    private void finishConnect() {
        try {
            if (!channel.finishConnect()) {
                return;
            }
        } catch (final IOException ex) {
            close(SocketErrors.reasonForConnect(ex));
            return;
        }
        loop.cancelTimer(connectTimerId);
        connectTimerId = NO_TIMER;
        established();
    }

    private void established() {
        if (isConnectedToItself()) {
            // Linux lets a connect to a free loopback port in the ephemeral range pick that same port as its source
            // (TCP simultaneous open): the socket then "answers" itself, and an echo client verifies its own bytes.
            // A generator reconnecting to a dead server thousands of times hits this; nobody listens, so it is a
            // refused connect.
            close(CloseReason.CONNECT_REFUSED);
            return;
        }
        state = State.ACTIVE;
        updateInterest();
        onEstablished();
    }

    private boolean isConnectedToItself() {
        final Socket socket = channel.socket();
        return socket.getLocalPort() == socket.getPort() && socket.getLocalAddress().equals(socket.getInetAddress());
    }

    private void onReadable() {
        // The ready set predates anything this cycle did: a reason set since then wins.
        if (state != State.ACTIVE || readBlockers != 0) {
            return;
        }
        if (inbound == null) {
            inbound = loop.leaseRing(ringStartBytes, true);
        } else if (inbound.isFull()) {
            inbound = grow(inbound, inbound.capacity() << 1); // a frame outgrew the ring (see deliver)
        }
        if (inbound == null || inbound.isFull()) {
            block(BLOCKED_BY_POOL);
            counters.increment(EngineCounter.POOL_EXHAUSTED_STALLS);
            loop.awaitRing(this);
            return;
        }
        final int read;
        try {
            read = inbound.readFrom(channel);
        } catch (final IOException ex) {
            close(SocketErrors.reasonForIo(ex));
            return;
        }
        if (read < 0) {
            onEndOfStream();
            return;
        }
        if (read > 0) {
            counters.add(EngineCounter.BYTES_IN, read);
            lastActivityNs = loop.nowNs();
            deliver();
        } else {
            releaseInboundIfEmpty();
        }
    }

    /**
     * The one loop that offers inbound bytes to the session: offer, send the output at once, apply the limits,
     * and offer again only while input was consumed and the output it made drained at once (so the rest of
     * the input may now fit). Each pass either consumes input or ends the loop, so it ends. Writing never
     * calls back here; {@link #onOutputProgress()} calls it again for input held for output.
     */
    private void deliver() {
        final long startPosition = inbound.readPosition();
        boolean again = true;
        boolean retried = false;
        while (again) {
            final long readBefore = inbound.readPosition();
            final int messages;
            delivering = true;
            try {
                messages = session.onData(inbound, this);
            } catch (final RuntimeException ex) {
                delivering = false;
                loop.onHandlerError(ex);
                close(CloseReason.HANDLER_ERROR);
                return;
            }
            delivering = false;
            if (messages > 0) {
                counters.add(EngineCounter.MESSAGES_IN, messages);
            }
            final boolean outputMade = outbound != null;
            if (outputMade) {
                flush();
            }
            if (state == State.CLOSED) {
                return;
            }
            final boolean progressed = inbound.readPosition() != readBefore;
            if (inbound.isFull() && !outputMade && !progressed && inbound.capacity() == ringCapacityBytes) {
                // Nothing was waiting to be sent, yet the session could not consume a full ring of the largest size:
                // the frame is larger than the ring can ever hold. A smaller ring grows at the next read. (With
                // output queued the session may only have waited for its room: offered again below once it drained.)
                close(CloseReason.FRAME_TOO_LARGE);
                return;
            }
            if (inbound.isFull() && outbound != null) {
                block(BLOCKED_BY_OUTPUT); // no room to read until the output moves
            }
            // Offer again while the session consumed input and its output drained at once; and once, without
            // progress, when output queued before it ran has just drained (it may have left a frame for want of room).
            again = state == State.ACTIVE && outputMade && outbound == null && !inbound.isEmpty()
                && (progressed || !retried);
            retried = !progressed;
        }
        inputHeldForOutput = state == State.ACTIVE && !inbound.isEmpty() && outbound != null;
        if ((readBlockers & BLOCKED_BY_END_OF_STREAM) != 0 && state == State.ACTIVE && !inputHeldForOutput) {
            onEndOfStream(); // everything answerable is answered: now judge the peer's end of stream
            return;
        }
        trackFrame(inbound.readPosition() != startPosition);
        releaseInboundIfEmpty();
        if (state == State.DRAINING && !outputQueued()) {
            close(drainReason);
            return;
        }
        updateInterest();
    }

    /**
     * Starts the frame deadline when input is left over, from empty or after the session consumed a frame;
     * bytes that merely extend the same frame (a trickle) do not move it.
     *
     * @param consumed whether the session consumed input in this delivery
     */
    private void trackFrame(final boolean consumed) {
        if (inbound.isEmpty()) {
            frameStarted = false;
            return;
        }
        if (!frameStarted || consumed) {
            frameStarted = true;
            frameStartNs = loop.nowNs();
            if (frameTimeoutNs > 0 && frameTimerId == NO_TIMER) {
                frameTimerId = loop.scheduleTimer(frameStartNs + frameTimeoutNs, this);
            }
        }
    }

    /**
     * After output moved outside delivery (a writable socket, an end-of-cycle flush): offers input held for
     * output again once the output is no longer backed up.
     */
    private void onOutputProgress() {
        if (inputHeldForOutput && state == State.ACTIVE && !delivering && (readBlockers & BLOCKED_BY_OUTPUT) == 0
            && inbound != null && !inbound.isEmpty()) {
            deliver();
        }
    }

    private void onEndOfStream() {
        if (inputHeldForOutput && outbound != null) {
            // Whole requests still wait for output room; they are owed their replies. Decide once they are
            // answered (see deliver).
            block(BLOCKED_BY_END_OF_STREAM);
            return;
        }
        final boolean midFrame = inbound != null && !inbound.isEmpty();
        releaseInboundIfEmpty();
        final CloseReason reason = midFrame ? CloseReason.EOF_MID_FRAME : CloseReason.PEER_CLOSED;
        if (outputQueued() && !midFrame) {
            // The peer only half-closed: send what it is owed (the tail of an echo), then close.
            startDraining(reason);
        } else {
            close(reason);
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Writing
    // ---------------------------------------------------------------------------------------------------

    /**
     * Writes queued output with one gathering write, applies the high/low-water limits and updates interest.
     * Never delivers input (see {@link #onOutputProgress()}).
     *
     * @return bytes written
     */
    private int flush() {
        if (outbound == null && feed == null) {
            return 0;
        }
        final boolean wasStalled = outputStalled;
        int written = 0;
        try {
            if (outbound != null) {
                written = outbound.writeTo(channel);
            }
            // The shared ring's bytes follow the connection's own, never overtake them.
            if (feed != null && (outbound == null || outbound.isEmpty())) {
                written += feed.writeTo(channel);
            }
        } catch (final IOException ex) {
            close(SocketErrors.reasonForIo(ex));
            return 0;
        }
        if (written > 0) {
            counters.add(EngineCounter.BYTES_OUT, written);
            lastActivityNs = loop.nowNs();
            writeProgressNs = lastActivityNs;
        } else if (!wasStalled) {
            writeProgressNs = loop.nowNs(); // a stall of new output counts from when it was first not sent
        }
        if (outbound != null && outbound.isEmpty()) {
            loop.releaseRing(outbound);
            outbound = null;
        }
        outputStalled = outputQueued();
        if (outputStalled && writeTimeoutNs > 0 && writeTimerId == NO_TIMER) {
            writeTimerId = loop.scheduleTimer(writeProgressNs + writeTimeoutNs, this);
        }
        if (!outputStalled && state == State.DRAINING) {
            close(drainReason);
            return written;
        }
        // Only the connection's own ring counts against its high water: a room's ring is not its memory, and a
        // member that falls a whole ring behind is cut by the room (see chat's package comment).
        final int pending = outbound == null ? 0 : outbound.readableBytes();
        if (pending >= highWaterBytes) {
            block(BLOCKED_BY_OUTPUT);
        } else if (pending <= lowWaterBytes) {
            readBlockers &= ~BLOCKED_BY_OUTPUT;
        }
        updateInterest();
        return written;
    }

    /** @return whether output waits to be sent: in the connection's own ring, or for it in a followed ring */
    private boolean outputQueued() {
        return outbound != null || (feed != null && feed.hasPending());
    }

    /** Sets a reason that stops reading; a new output stall is counted once. */
    private void block(final int reason) {
        if ((readBlockers & reason) == 0) {
            readBlockers |= reason;
            if (reason == BLOCKED_BY_OUTPUT) {
                counters.increment(EngineCounter.BACKPRESSURE_STALLS);
            }
            updateInterest();
        }
    }

    /** The only place interest ops are decided; see the tables in the class comment. */
    private void updateInterest() {
        if (state == State.CLOSED) {
            return;
        }
        final int ops;
        if (state == State.CONNECTING) {
            ops = SelectionKey.OP_CONNECT;
        } else {
            final int read = state == State.ACTIVE && readBlockers == 0 ? SelectionKey.OP_READ : 0;
            ops = read | (outputQueued() ? SelectionKey.OP_WRITE : 0);
        }
        if (ops != interestOps) {
            interestOps = ops;
            key.interestOps(ops);
        }
    }

    @Override
    public int onDeferredFlush() {
        flushQueued = false;
        if (state == State.ACTIVE || state == State.DRAINING) {
            final int written = flush();
            onOutputProgress();
            return written;
        }
        return 0;
    }

    @Override
    public boolean isOpen() {
        return state == State.ACTIVE;
    }

    @Override
    public int writableBytes() {
        if (state != State.ACTIVE) {
            return 0;
        }
        if (outbound == null) {
            return loop.pool().canLease(ringStartBytes) ? ringCapacityBytes : 0;
        }
        if (outbound.capacity() < ringCapacityBytes && loop.pool().canLease(ringCapacityBytes)) {
            return ringCapacityBytes - outbound.readableBytes(); // the ring can still grow
        }
        return outbound.writableBytes();
    }

    @Override
    public boolean write(final DirectBuffer src, final int offset, final int length) {
        if (!prepareWrite(length)) {
            return false;
        }
        outbound.write(src, offset, length);
        afterWrite();
        return true;
    }

    @Override
    public boolean write(final ByteRing src, final long position, final int length) {
        if (!prepareWrite(length)) {
            return false;
        }
        outbound.write(src, position, length);
        afterWrite();
        return true;
    }

    /** Makes room for {@code length} more output bytes, leasing or growing the outbound ring; all or nothing. */
    private boolean prepareWrite(final int length) {
        if (state != State.ACTIVE) {
            return false;
        }
        if (outbound == null) {
            if (length > ringCapacityBytes) {
                return false;
            }
            outbound = loop.leaseRing(Math.max(ringStartBytes, length), true);
            writeProgressNs = loop.nowNs(); // a stall of new output counts from when it was queued
            return outbound != null;
        }
        if (outbound.writableBytes() >= length) {
            return true;
        }
        final int needed = outbound.readableBytes() + length;
        if (needed > ringCapacityBytes || needed < 0) {
            return false;
        }
        final ByteRing grown = grow(outbound, needed);
        if (grown == null) {
            return false;
        }
        outbound = grown;
        return true;
    }

    /**
     * Moves a ring's bytes into a bigger ring from the pool and returns the smaller one.
     *
     * @param ring  the ring that is too small
     * @param bytes what the new ring must hold
     * @return the bigger ring, or the same ring when the pool cannot supply one
     */
    private ByteRing grow(final ByteRing ring, final int bytes) {
        if (ring.capacity() >= ringCapacityBytes) {
            return ring;
        }
        final ByteRing bigger = loop.leaseRing(bytes, false);
        if (bigger == null) {
            return ring;
        }
        bigger.write(ring, ring.readPosition(), ring.readableBytes());
        loop.releaseRing(ring);
        return bigger;
    }

    private void afterWrite() {
        counters.increment(EngineCounter.MESSAGES_OUT);
        if (!delivering) {
            deferFlush(); // written by someone else's session
        }
    }

    /** Sends at the end of the cycle, once however many writes came. */
    private void deferFlush() {
        if (!flushQueued) {
            flushQueued = true;
            loop.deferFlush(this);
        }
    }

    @Override
    public void follow(final BroadcastReader reader) {
        if (feed != null && feed != reader) {
            throw new IllegalStateException("a connection follows one broadcast ring");
        }
        feed = reader;
    }

    @Override
    public void onBroadcast() {
        if (state == State.ACTIVE) {
            counters.increment(EngineCounter.MESSAGES_OUT);
            // Even for the connection that is delivering: its own output is flushed after its session returns, but
            // a broadcast may come from another connection's session (or its own, echoing to itself) at any time.
            deferFlush();
        }
    }

    @Override
    public long catchUp() {
        if (feed == null) {
            return Long.MAX_VALUE;
        }
        if ((state == State.ACTIVE || state == State.DRAINING) && feed.hasPending()) {
            // Writing cannot block here and never delivers input (so never publishes into the room from inside its
            // publish); it may close this connection, which then leaves the room.
            flush();
        }
        return feed.position();
    }

    @Override
    public void closeAfterFlush(final CloseReason reason) {
        if (state == State.ACTIVE) {
            startDraining(reason);
        }
    }

    private void startDraining(final CloseReason reason) {
        state = State.DRAINING;
        drainReason = reason;
        if (feed != null) {
            feed.endAtHead(); // sends what was published before, not what comes after
        }
        if (!outputQueued() && !delivering) {
            close(reason);
            return;
        }
        updateInterest();
    }

    // ---------------------------------------------------------------------------------------------------
    // Pool, timers, shutdown
    // ---------------------------------------------------------------------------------------------------

    @Override
    public void onRingAvailable() {
        readBlockers &= ~BLOCKED_BY_POOL;
        updateInterest();
    }

    @Override
    public void onTimerExpiry(final long nowNs, final long timerId) {
        if (timerId == connectTimerId) {
            connectTimerId = NO_TIMER;
            if (state == State.CONNECTING) {
                close(CloseReason.CONNECT_TIMEOUT);
            }
            return;
        }
        if (state == State.CLOSED) {
            return;
        }
        if (timerId == frameTimerId) {
            onFrameTimer(nowNs);
            return;
        }
        if (timerId == writeTimerId) {
            onWriteTimer(nowNs);
            return;
        }
        if (timerId != idleTimerId) {
            return;
        }
        final long idleDeadlineNs = lastActivityNs + idleTimeoutNs;
        if (idleDeadlineNs - nowNs <= 0) {
            idleTimerId = NO_TIMER;
            close(CloseReason.IDLE_TIMEOUT);
        } else {
            // Activity moved the deadline: re-arm lazily instead of rescheduling on every read.
            idleTimerId = loop.scheduleTimer(idleDeadlineNs, this);
        }
    }

    private void onFrameTimer(final long nowNs) {
        frameTimerId = NO_TIMER;
        if (!frameStarted) {
            return; // the frame completed; the next one arms its own deadline
        }
        final long deadlineNs = frameStartNs + frameTimeoutNs;
        if (deadlineNs - nowNs > 0) {
            frameTimerId = loop.scheduleTimer(deadlineNs, this); // a later frame started since: re-arm lazily
        } else if (inputHeldForOutput || (readBlockers & (BLOCKED_BY_OUTPUT | BLOCKED_BY_POOL)) != 0) {
            // Not the peer's slowness: whole requests wait for output room, or for ring memory. The write
            // timeout and the pool's shedding judge those; give the frame a fresh deadline.
            frameStartNs = nowNs;
            frameTimerId = loop.scheduleTimer(nowNs + frameTimeoutNs, this);
        } else {
            close(CloseReason.FRAME_TIMEOUT);
        }
    }

    private void onWriteTimer(final long nowNs) {
        writeTimerId = NO_TIMER;
        if (!outputQueued()) {
            return; // the output drained; the next stall arms its own deadline
        }
        final long deadlineNs = writeProgressNs + writeTimeoutNs;
        if (deadlineNs - nowNs > 0) {
            writeTimerId = loop.scheduleTimer(deadlineNs, this);
        } else {
            close(CloseReason.WRITE_TIMEOUT);
        }
    }

    /**
     * Memory held and not moving, in bytes × milliseconds: queued output since its last progress, or a partial
     * frame since it started, whichever is older.
     */
    @Override
    public long shedScore(final long nowNs, final long minStallNs) {
        if (state != State.ACTIVE && state != State.DRAINING) {
            return 0;
        }
        final long heldBytes = (inbound == null ? 0 : inbound.capacity())
            + (outbound == null ? 0 : outbound.capacity());
        if (heldBytes == 0) {
            return 0;
        }
        long stalledSinceNs = nowNs;
        if (outbound != null) {
            stalledSinceNs = writeProgressNs;
        }
        if (frameStarted && inbound != null && frameStartNs - stalledSinceNs < 0) {
            stalledSinceNs = frameStartNs;
        }
        final long stalledNs = nowNs - stalledSinceNs;
        if (stalledNs < minStallNs) {
            return 0;
        }
        return heldBytes * (stalledNs / 1_000_000 + 1);
    }

    @Override
    public void onShutdown() {
        if (state == State.ACTIVE) {
            startDraining(CloseReason.SHUTDOWN);
        } else if (state == State.CONNECTING) {
            close(CloseReason.SHUTDOWN);
        }
    }

    @Override
    public boolean holdsShutdown() {
        return state == State.DRAINING;
    }

    @Override
    public void close(final CloseReason reason) {
        if (state == State.CLOSED) {
            return;
        }
        final boolean wasEstablished = state != State.CONNECTING;
        state = State.CLOSED;
        if (key != null) {
            key.cancel();
        }
        try {
            channel.close();
        } catch (final IOException ex) {
            loop.errorHandler().onError(ex);
        }
        if (inbound != null) {
            final ByteRing ring = inbound;
            inbound = null;
            loop.releaseRing(ring);
        }
        if (outbound != null) {
            final ByteRing ring = outbound;
            outbound = null;
            loop.releaseRing(ring);
        }
        if ((readBlockers & BLOCKED_BY_POOL) != 0) {
            loop.cancelRingWait(this);
        }
        readBlockers = 0;
        if (idleTimerId != NO_TIMER) {
            loop.cancelTimer(idleTimerId);
        }
        if (connectTimerId != NO_TIMER) {
            loop.cancelTimer(connectTimerId);
        }
        if (frameTimerId != NO_TIMER) {
            loop.cancelTimer(frameTimerId);
        }
        if (writeTimerId != NO_TIMER) {
            loop.cancelTimer(writeTimerId);
        }
        loop.removeResource(this);
        counters.closed(reason);
        if (wasEstablished) {
            loop.onConnectionClosed();
            if (session != null) {
                try {
                    session.onClose(reason);
                } catch (final RuntimeException ex) {
                    loop.onHandlerError(ex);
                }
            }
        }
        listener.onClosed(this, reason);
    }

    private void releaseInboundIfEmpty() {
        if (inbound != null && inbound.isEmpty()) {
            final ByteRing ring = inbound;
            inbound = null;
            loop.releaseRing(ring);
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Inspection
    // ---------------------------------------------------------------------------------------------------

    public long id() {
        return id;
    }

    public State state() {
        return state;
    }

    /** @return the session's view of this connection, or {@code null} before it is established */
    public SessionContext context() {
        return context;
    }

    /** @return the protocol session, or {@code null} before the connection is established */
    public Session session() {
        return session;
    }

    /** @return whether reading is paused because output is backed up */
    public boolean isReadPaused() {
        return (readBlockers & BLOCKED_BY_OUTPUT) != 0;
    }

    /** @return outbound bytes not yet written, in the connection's own ring (a followed ring's are not its own) */
    public int pendingOutboundBytes() {
        return outbound == null ? 0 : outbound.readableBytes();
    }

    /** @return whether the connection holds any ring memory */
    public boolean holdsRings() {
        return inbound != null || outbound != null;
    }

    /** @return the owning loop */
    public EventLoop loop() {
        return loop;
    }

    /** @return a user object (the load generator keeps its client state here) */
    public Object attachment() {
        return attachment;
    }

    /**
     * Attaches a user object.
     *
     * @param attachment anything
     */
    public void attach(final Object attachment) {
        this.attachment = attachment;
    }

    /**
     * Sends queued output now rather than at the end of the cycle (load generator: a timed send).
     *
     * @return bytes written
     */
    public int flushNow() {
        if (state != State.ACTIVE && state != State.DRAINING) {
            return 0;
        }
        final int written = flush();
        onOutputProgress();
        return written;
    }

    @Override
    public String toString() {
        return "TcpConnection{id=" + id + ", state=" + state + ", remote="
            + (context == null ? "?" : context.remoteAddress()) + '}';
    }
}
