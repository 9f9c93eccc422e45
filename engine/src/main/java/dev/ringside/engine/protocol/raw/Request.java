package dev.ringside.engine.protocol.raw;

import java.util.ArrayList;
import java.util.List;

/**
 * One request as the user typed it and as it goes on the wire: the text names it in a run's description, the
 * bytes are what is sent.
 *
 * @param text  as typed
 * @param bytes the wire bytes
 */
public record Request(String text, byte[] bytes) {
    /** Longest description of a run's requests. */
    private static final int MAX_DESCRIPTION = 80;

    /**
     * @param requests a run's requests
     * @return their wire bytes, in order
     */
    public static List<byte[]> wireBytes(final List<Request> requests) {
        final List<byte[]> all = new ArrayList<>(requests.size());
        for (final Request request : requests) {
            all.add(request.bytes());
        }
        return all;
    }

    /**
     * @param requests a run's requests
     * @return what they are, for the run's description: {@code SET k v, GET k round-robin}, shortened
     */
    public static String describe(final List<Request> requests) {
        final StringBuilder text = new StringBuilder();
        for (final Request request : requests) {
            if (text.length() > 0) {
                text.append(", ");
            }
            text.append(request.text());
        }
        String shown = text.length() > MAX_DESCRIPTION ? text.substring(0, MAX_DESCRIPTION) + "..." : text.toString();
        if (requests.size() > 1) {
            shown += " round-robin";
        }
        return shown;
    }
}
