package dev.ringside.engine.protocol.redis;

import static dev.ringside.engine.protocol.raw.FramerFeeder.assertFrames;
import static dev.ringside.engine.protocol.raw.FramerFeeder.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import dev.ringside.engine.protocol.raw.CommandWords;
import dev.ringside.engine.protocol.raw.FramerFeeder;
import org.junit.jupiter.api.Test;

/** RESP2 reply framing, byte-exact at every split and across the ring's wrap point. */
class RespReplyFramerTest {
    @Test
    void shouldFrameEveryScalarType() {
        assertFrames(RespReplyFramer::new, bytes("+PONG\r\n:1000\r\n:-42\r\n$5\r\nhello\r\n$0\r\n\r\n$-1\r\n"),
            "R@7", "R@14", "R@20", "R@31", "R@37", "R@42");
    }

    @Test
    void shouldSkipBulkPayloadsByLengthEvenWhenTheyHoldLineEnds() {
        // Catches a framer that looks for \r\n instead of counting: the payload's own \r\n would end it early.
        assertFrames(RespReplyFramer::new, bytes("$7\r\n\r\n+OK\r\n\r\n+OK\r\n"), "R@13", "R@18");
    }

    @Test
    void shouldTellErrorRepliesApart() {
        assertFrames(RespReplyFramer::new, bytes("-ERR unknown command 'FOO'\r\n+OK\r\n-WRONGTYPE x\r\n"),
            "E@28", "R@33", "E@47");
    }

    @Test
    void shouldFrameArraysNestedAndNullAsOneReply() {
        // Catches an array counted as its elements: each element would end a reply on its own.
        assertFrames(RespReplyFramer::new,
            bytes("*2\r\n$3\r\nfoo\r\n*2\r\n:1\r\n*0\r\n*-1\r\n*0\r\n*1\r\n*1\r\n$-1\r\n"),
            "R@25", "R@30", "R@34", "R@47");
        assertFrames(RespReplyFramer::new, bytes("*3\r\n+OK\r\n-ERR no\r\n:1\r\n+PONG\r\n"), "E@22", "R@29");
    }

    @Test
    void shouldRejectMalformedReplies() {
        assertFrames(RespReplyFramer::new, bytes("+OK\r\n?x\r\n"), "R@5", "M@6");
        assertFrames(RespReplyFramer::new, bytes("+OK\n"), "M@4");
        assertFrames(RespReplyFramer::new, bytes("+OK\rX"), "M@5");
        assertFrames(RespReplyFramer::new, bytes(":12a\r\n"), "M@4");
        assertFrames(RespReplyFramer::new, bytes(":\r\n"), "M@2");
        assertFrames(RespReplyFramer::new, bytes(":--1\r\n"), "M@3");
        assertFrames(RespReplyFramer::new, bytes("$-2\r\n"), "M@5");
        assertFrames(RespReplyFramer::new, bytes("*-5\r\n"), "M@5");
        assertFrames(RespReplyFramer::new, bytes("$3\r\nabcd\r\n"), "M@8");
        assertFrames(RespReplyFramer::new, bytes("$536870913\r\n"), "M@12");
        assertFrames(RespReplyFramer::new, bytes(":1234567890123456789\r\n"), "M@20");
        assertFrames(RespReplyFramer::new, bytes("%1\r\n"), "M@1");
        assertFrames(RespReplyFramer::new, bytes("*1\r\n".repeat(RespReplyFramer.MAX_DEPTH + 1)),
            "M@" + 4 * (RespReplyFramer.MAX_DEPTH + 1));
    }

    @Test
    void shouldRejectAnEndlessSimpleLineAtItsLimit() {
        final byte[] endless = bytes("+" + "x".repeat(RespReplyFramer.MAX_LINE_BYTES + 1));
        assertEquals(List.of("M@" + endless.length),
            FramerFeeder.inPieces(new RespReplyFramer(), endless, 1000));
    }

    @Test
    void shouldEncodeCommandsAsRespArrays() {
        assertEquals("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\na b\r\n\r\n",
            new String(RespCommands.encodeWords(CommandWords.split("--command", "SET k \"a b\\r\\n\""))));
        assertEquals("*1\r\n$4\r\nPING\r\n", new String(RespCommands.encode("PING")));
        assertEquals("it is empty", assertThrows(IllegalArgumentException.class, () -> RespCommands.encode(" "))
            .getMessage());
        assertThrows(IllegalArgumentException.class, () -> RespCommands.encode("GET \"k"));
    }
}
