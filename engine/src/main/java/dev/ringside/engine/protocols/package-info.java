/**
 * The registry: {@link dev.ringside.engine.protocols.Protocols#ALL} lists every protocol package's
 * {@link dev.ringside.engine.protocol.ProtocolSpec}. It sits above the protocol packages (which know only the
 * SPI in {@code dev.ringside.engine.protocol}) and below the commands that read it.
 */
package dev.ringside.engine.protocols;
