package dev.ringside.engine.protocol;

import java.net.InetSocketAddress;

/**
 * The parts of a load-generator run that shape a protocol's requests.
 *
 * @param target      the target; {@link InetSocketAddress#getHostString()} is the host as the user typed it (HTTP's
 *                    {@code Host} header uses it, not the resolved address)
 * @param udp         whether over UDP
 * @param size        {@code --size}, when the protocol's {@link SizeRule} applies
 * @param connections connections (UDP: sockets) in the run
 * @param threads     generator threads
 */
public record ClientSetup(InetSocketAddress target, boolean udp, int size, int connections,
    int threads) {
}
