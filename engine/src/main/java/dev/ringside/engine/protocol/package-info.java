/**
 * The protocol SPI, and nothing protocol-specific.
 *
 * <p>Server side: a {@link dev.ringside.engine.protocol.Protocol} makes a
 * {@link dev.ringside.engine.protocol.Session} per connection (and a
 * {@link dev.ringside.engine.protocol.DatagramHandler} per UDP endpoint); sessions see inbound bytes in a ring,
 * write to an {@link dev.ringside.engine.protocol.Outbound} and do no I/O, so the same code runs on the selector
 * loop and on every blocking server model. Client side: a {@link dev.ringside.engine.protocol.ClientCodec} per
 * load-generator connection encodes requests and decodes replies into a
 * {@link dev.ringside.engine.protocol.ReplySink}, reporting a bad reply as a
 * {@link dev.ringside.engine.protocol.ReplyFault}: {@code MISMATCH}, or a fault the protocol's package declares
 * (the generator counts each under its key, and every report lists it from the registry). A
 * {@link dev.ringside.engine.protocol.ProtocolSpec} holds a protocol's metadata, its options as plain
 * {@link dev.ringside.engine.protocol.ProtocolOption} data, and the factories of both sides.
 *
 * <h2>Adding a protocol: one package and one registry line</h2>
 * <ol>
 * <li>Create {@code dev.ringside.engine.protocol.<name>} with its server {@code Protocol}/{@code Session} (and
 *     {@code DatagramHandler} for UDP), its {@code ClientCodec}, and a class {@code <Name>} holding
 *     {@code public static final ProtocolSpec SPEC = ProtocolSpec.named("<name>", "one help line")...build();}:
 *     {@code .datagrams()} if it runs over UDP, {@code .size(new SizeRule(...))} if the generator's {@code --size}
 *     shapes its requests, {@code .server(options, minRingBytes, factory)} and/or
 *     {@code .client(options, exchange, factory)}, and {@code .faults(...)} for the error kinds of its own its
 *     codec reports (constants {@code ReplyFault.declare("key", "label", answers)} in the package: every report
 *     lists them, no shared class names them). Either side may be left out (a client-only protocol, such as
 *     one that drives a real redis-server, has no server: {@code ringside server} then says so in one line).
 *     A server protocol whose sessions share state overrides {@code Protocol.sharesState()}.</li>
 * <li>Add {@code <Name>.SPEC} to {@code dev.ringside.engine.protocols.Protocols.ALL}.</li>
 * </ol>
 * That is all: {@code --protocol} help and validation in server, bench and compare, the protocol's flags (each
 * refused with one line for any other protocol), the socket-free round trip ({@code RoundTripTest}) and the model
 * conformance matrix (which fails until the protocol has a conversation there) all read the registry.
 */
package dev.ringside.engine.protocol;
