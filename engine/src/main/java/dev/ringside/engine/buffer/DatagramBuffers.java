package dev.ringside.engine.buffer;

import java.nio.ByteBuffer;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * The one receive and one send buffer that every UDP endpoint of a loop shares. The loop is one thread and an
 * endpoint is done with a datagram (received, handled, answered; or copied and sent) before the next one runs,
 * so one pair per loop serves any number of sockets: a UDP socket then costs what its objects cost (under
 * 4 KiB), not two 64 KiB buffers of its own.
 *
 * <p>The receive buffer holds the largest possible UDP payload, so a datagram is never silently truncated: one
 * longer than the configured maximum is seen whole, then dropped and counted. A server endpoint's handler writes
 * its reply over the request in the receive buffer; a client endpoint copies each request into the send buffer.
 */
public final class DatagramBuffers {
    /** The largest UDP payload over IPv4 (65,507 bytes) fits, rounded up to 64 KiB. */
    public static final int RECEIVE_BYTES = 64 * 1024;

    private final ByteBuffer receive = ByteBuffer.allocateDirect(RECEIVE_BYTES);
    private final UnsafeBuffer receiveView = new UnsafeBuffer(receive);
    private final ByteBuffer send;
    private final UnsafeBuffer sendView;

    /**
     * @param maxDatagramBytes the largest datagram a client endpoint sends
     */
    public DatagramBuffers(final int maxDatagramBytes) {
        if (maxDatagramBytes < 1 || maxDatagramBytes > RECEIVE_BYTES) {
            throw new IllegalArgumentException("maxDatagramBytes must be 1.." + RECEIVE_BYTES + ", got "
                + maxDatagramBytes);
        }
        this.send = ByteBuffer.allocateDirect(maxDatagramBytes);
        this.sendView = new UnsafeBuffer(send);
    }

    /** @return the buffer datagrams are received into (and server replies written over) */
    public ByteBuffer receive() {
        return receive;
    }

    /** @return a view of {@link #receive()} for handlers */
    public UnsafeBuffer receiveView() {
        return receiveView;
    }

    /** @return the buffer a client endpoint's request is copied into before it is sent */
    public ByteBuffer send() {
        return send;
    }

    /** @return a view of {@link #send()} */
    public UnsafeBuffer sendView() {
        return sendView;
    }
}
