package dev.ringside.engine.protocol;

/**
 * A protocol's client side for one run, made once from the run's options (which it has checked): it makes a
 * {@link ClientCodec} per connection. Whatever can be prepared once (HTTP's encoded requests) is prepared
 * here, so codecs do not build anything on the hot path.
 */
public interface CodecFactory {
    /**
     * @param connectionId the connection's index in the whole run (0-based)
     * @return a new codec for that connection
     */
    ClientCodec newCodec(int connectionId);

    /**
     * @param connections connections in the run
     * @return how many of them send (chat: the publishers; otherwise all of them, the first ones)
     */
    default int senders(final int connections) {
        return connections;
    }

    /**
     * @return what one request is, for the run's description (for example {@code GET /}), or {@code null}
     *         when the size says it all
     */
    default String describeRequest() {
        return null;
    }
}
