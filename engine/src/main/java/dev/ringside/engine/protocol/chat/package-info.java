/**
 * {@code chat}: line broadcast to one room (server session, room, slow-consumer policy), the client codec whose
 * lines carry their own send times, and the registry entry ({@link dev.ringside.engine.protocol.chat.Chat}).
 *
 * <h2>Broadcast is one copy</h2>
 * A room ({@link dev.ringside.engine.protocol.chat.LoopChatRoom}) holds one
 * {@link dev.ringside.engine.buffer.BroadcastRing}. A line is copied from its sender's inbound ring into the room's
 * ring once, as a record addressed to "everyone but the sender" (or everyone, with {@code --echo-self} or for the
 * server's announcements, or one member, for a reply to its {@code /nick}); every member's connection follows a
 * {@link dev.ringside.engine.buffer.BroadcastReader} and sends its records straight from the room's memory with
 * gathering writes. Memory for a line is O(line), whatever the number of members; a member costs a reader (a few
 * fields), not a ring. Why: the room used to copy each line into an outbound ring per member, leased from the
 * loop's pool, so a room larger than the pool (4,300 members, or 40 on a 1 MiB pool) cut healthy members as
 * "slow consumers" the moment a lease failed.
 *
 * <h2>Who is a slow consumer</h2>
 * Only a member more than the ring's capacity behind (in ring bytes, which count every record it passes over). The
 * room writes a line at once when it fits above the oldest member's position; when it does not, it asks each member
 * in the way to catch up ({@link dev.ringside.engine.protocol.Outbound#catchUp()}: pass over records not for it and,
 * on the selector loop, write what its socket takes now, which never blocks and never delivers input, so nothing
 * publishes from inside a publish), and cuts those still a ring behind: closed with
 * {@link dev.ringside.engine.protocol.CloseReason#SLOW_CONSUMER} and counted, before their bytes are overwritten.
 * A line whose own sender is cut that way goes with it. The ring's capacity is {@code --room-capacity}, by default
 * 16 × {@code --ring-capacity} (1 MiB): a full inbound ring of the shortest lines (16-byte records) fits in it.
 *
 * <h2>With the connection's write path</h2>
 * <ul>
 * <li>Order: a connection sends its own ring's bytes first, then the followed ring's; chat writes nothing of its own,
 *     so a member's stream is exactly the records addressed to it, in the room's order.</li>
 * <li>Wake-up: a publish calls {@link dev.ringside.engine.protocol.Outbound#onBroadcast()} on each recipient; the loop
 *     flushes each woken connection once at the end of its cycle, {@code OP_WRITE} stays on while records wait.</li>
 * <li>Write timeout: records waiting for a member count as queued output; a member whose socket takes nothing for
 *     {@code --write-timeout} is closed for it (nginx's {@code send_timeout}), before it falls a ring behind in a
 *     quiet room.</li>
 * <li>Pool and backpressure: the room's ring is the protocol's own memory, allocated once, not leased from the
 *     pool, so pool accounting and shedding see only a member's own rings (its partial input line). High water
 *     counts only a connection's own ring: a member's lag costs no memory of its own, and the lag limit is the
 *     ring, enforced by cutting.</li>
 * <li>Draining (shutdown, half-close): a member sends what was published before it began draining, not later
 *     lines, so draining ends.</li>
 * <li>Blocking models: the same room under the session lock. A member's connection thread (or its writer thread,
 *     started the first time someone else publishes) sends from the ring outside every lock, holding its send
 *     role; its reader's position moves only after the write returned, and cutting a member waits until a send in
 *     flight returns (its socket is closed first, so promptly), so no thread ever sends bytes the room is
 *     overwriting. Each send is at most a quarter of the ring, so a healthy member's write in flight cannot hold
 *     it back a whole ring.</li>
 * </ul>
 */
package dev.ringside.engine.protocol.chat;
