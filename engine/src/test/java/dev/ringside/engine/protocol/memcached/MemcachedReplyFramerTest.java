package dev.ringside.engine.protocol.memcached;

import static dev.ringside.engine.protocol.raw.FramerFeeder.assertFrames;
import static dev.ringside.engine.protocol.raw.FramerFeeder.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import dev.ringside.engine.protocol.raw.FramerFeeder;
import org.junit.jupiter.api.Test;

/** Memcached text reply framing, byte-exact at every split and across the ring's wrap point. */
class MemcachedReplyFramerTest {
    @Test
    void shouldFrameHitsMissesAndStores() {
        assertFrames(MemcachedReplyFramer::new,
            bytes("VALUE k 0 5\r\nhello\r\nEND\r\nEND\r\nSTORED\r\nVALUE k 3 0 77\r\n\r\nEND\r\n"),
            "R@25", "R@30", "R@38", "R@61");
    }

    @Test
    void shouldSkipValuesByLengthEvenWhenTheyLookLikeReplies() {
        // Catches a framer that reads the data block as lines: its "END\r\n" would end the reply early.
        assertFrames(MemcachedReplyFramer::new, bytes("VALUE k 0 5\r\nEND\r\n\r\nVALUE k2 0 1\r\nx\r\nEND\r\n"),
            "R@42");
    }

    @Test
    void shouldTellErrorRepliesApart() {
        assertFrames(MemcachedReplyFramer::new,
            bytes("ERROR\r\nCLIENT_ERROR bad data chunk\r\nSERVER_ERROR out of memory\r\nNOT_STORED\r\nSTORED\r\n"),
            "E@7", "E@36", "E@64", "E@76", "R@84");
        // A server error may cut a multi-get short; it ends the reply.
        assertFrames(MemcachedReplyFramer::new, bytes("VALUE a 0 1\r\nx\r\nSERVER_ERROR busy\r\nEND\r\n"),
            "E@35", "R@40");
    }

    @Test
    void shouldRejectMalformedReplies() {
        assertFrames(MemcachedReplyFramer::new, bytes("HELLO\r\n"), "M@7");
        assertFrames(MemcachedReplyFramer::new, bytes("END\n"), "M@4");
        assertFrames(MemcachedReplyFramer::new, bytes("ERRORS\r\n"), "M@8");
        assertFrames(MemcachedReplyFramer::new, bytes("VALUE k 0 5\r\nhelloXX"), "M@19");
        assertFrames(MemcachedReplyFramer::new, bytes("VALUE k 0 x\r\n"), "M@13");
        assertFrames(MemcachedReplyFramer::new, bytes("VALUE k 0\r\n"), "M@11");
        assertFrames(MemcachedReplyFramer::new, bytes("VALUE k 0 1 2 3\r\n"), "M@17");
        assertFrames(MemcachedReplyFramer::new, bytes("VALUE  k 0 1\r\n"), "M@14");
        assertFrames(MemcachedReplyFramer::new, bytes("VALUE k 0 99999999999\r\n"), "M@23");
        assertFrames(MemcachedReplyFramer::new, bytes("VALUE k 0 1\r\nx\r\nSTORED\r\n"), "M@24");
    }

    @Test
    void shouldRejectAnEndlessLineAtItsLimit() {
        final byte[] endless = bytes("SERVER_ERROR " + "x".repeat(MemcachedReplyFramer.MAX_LINE_BYTES));
        assertEquals(List.of("M@" + (MemcachedReplyFramer.MAX_LINE_BYTES + 1)),
            FramerFeeder.inPieces(new MemcachedReplyFramer(), endless, 1000));
    }

    @Test
    void shouldEncodeGetAndSet() {
        assertEquals("get a b\r\n", new String(MemcachedCommands.encode("get a b")));
        assertEquals("set k 0 0 5\r\nhe\r\nx\r\n", new String(MemcachedCommands.encode("set k \"he\\r\\nx\"")));
        for (final String bad : List.of("get", "set k", "set k v w", "delete k", "get " + "k".repeat(251),
            "get \"a b\"", "get \"a\\x01\"")) {
            assertThrows(IllegalArgumentException.class, () -> MemcachedCommands.encode(bad), bad);
        }
        assertEquals("get needs a key", assertThrows(IllegalArgumentException.class,
            () -> MemcachedCommands.encode("get")).getMessage());
    }
}
