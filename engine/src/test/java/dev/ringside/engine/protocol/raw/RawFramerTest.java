package dev.ringside.engine.protocol.raw;

import static dev.ringside.engine.protocol.raw.FramerFeeder.assertFrames;
import static dev.ringside.engine.protocol.raw.FramerFeeder.bytes;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Raw reply framing, byte-exact at every split and across the ring's wrap point. */
class RawFramerTest {
    @Test
    void shouldEndEachReplyAfterExactlyTheConfiguredBytes() {
        // Catches a counter not reset after a reply (the second reply would end early or never).
        assertFrames(() -> new ByteCountFramer(5), bytes("+PONG+PONG+PO"), "R@5", "R@10");
        assertThrows(IllegalArgumentException.class, () -> new ByteCountFramer(0));
    }

    @Test
    void shouldEndEachReplyAtTheFirstMarkerWhateverTheSplit() {
        assertFrames(() -> new MarkerFramer(bytes("\r\n")), bytes("+PONG\r\n+PONG\r\n\r\nxx"), "R@7", "R@14",
            "R@16");
    }

    @Test
    void shouldFindAMarkerThatOverlapsItself() {
        // "aab" after "aaab": a search that restarts after the mismatched byte, instead of falling back along
        // the marker's own prefix, misses the first marker ending at offset 4.
        assertFrames(() -> new MarkerFramer(bytes("aab")), bytes("aaabxaab"), "R@4", "R@8");
        assertFrames(() -> new MarkerFramer(bytes("\r\n\r\n")), bytes("HTTP\r\n\r\r\n\r\n"), "R@11");
        assertFrames(() -> new MarkerFramer(bytes("abab")), bytes("abababab"), "R@4", "R@8");
    }

    @Test
    void shouldFindAOneByteMarkerAndHoldNothingWhileSearching() {
        assertFrames(() -> new MarkerFramer(bytes("\n")), bytes("no end yet, still none"));
        assertFrames(() -> new MarkerFramer(bytes("\n")), bytes("a\n\nbc\n"), "R@2", "R@3", "R@6");
        assertFrames(() -> new MarkerFramer(bytes("END")), bytes("ENEND"), "R@5");
        assertThrows(IllegalArgumentException.class, () -> new MarkerFramer(new byte[0]));
    }
}
