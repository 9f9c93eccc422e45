package dev.ringside.engine.protocol;

import java.io.PrintStream;

/**
 * What a server-side protocol may learn from its host when it is made: limits that depend on the host's
 * buffers, and where printed output goes.
 *
 * @param ringCapacityBytes a connection ring's capacity: a frame, line or request head must fit in it
 * @param out               where a protocol prints (discard {@code --print})
 */
public record ServerEnvironment(int ringCapacityBytes, PrintStream out) {
}
