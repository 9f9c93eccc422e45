package dev.ringside.engine.loop;

import java.nio.channels.SelectionKey;

/**
 * Reacts to a selection key becoming ready; the key's attachment.
 */
@FunctionalInterface
public interface SelectHandler {
    /**
     * Called on the loop thread when the key has ready operations.
     *
     * @param key the ready key; {@code key.readyOps()} says what is ready
     */
    void onSelected(SelectionKey key);
}
