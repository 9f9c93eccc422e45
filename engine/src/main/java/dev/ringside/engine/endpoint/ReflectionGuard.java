package dev.ringside.engine.endpoint;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;

/**
 * Decides which datagrams a server must not answer, so that its replies cannot be turned against itself.
 *
 * <p>UDP has no handshake: a sender's address is whatever the datagram says. One datagram forged to come from
 * a server's own endpoint makes an echo server answer itself, and the answer is again a datagram from its own
 * endpoint: a loop at 100% CPU that never ends (two endpoints of one server ping-pong the same way). Port 0
 * cannot be a real sender, and a reply to it is an error at best. So a datagram is refused — dropped and
 * counted, never answered — when its source port is 0, or when its source port is the port of one of this
 * server's UDP endpoints and its source address is an address of this host (loopback, the wildcard, or an
 * address of a local interface). Comparing the address with the host's addresses rather than with the bound
 * one covers wildcard binds: an endpoint on {@code 0.0.0.0:P} sends from {@code 127.0.0.1:P} as well as from
 * every interface address. The price is that a different local process that happens to use one of our port
 * numbers on another local address is not answered either; that is the safe side.
 *
 * <p>Other servers are out of reach of this rule: two separate servers a spoofer points at each other can
 * still ping-pong, as with any UDP echo service (inetd's {@code check_loop} has the same limit). The replies
 * are never larger than the requests (except {@code rr} with a fixed response size, which warns when it is
 * reachable off loopback), so at least nothing is amplified.
 *
 * <p>Endpoints register while the server is being built; the set is published through a volatile array so a
 * loop or datagram thread started later — or already running, in tests — sees every port. The check is on the
 * hot path of every datagram and allocates nothing: a port comparison against a short array, and the address
 * comparison only when a port matched.
 */
public final class ReflectionGuard {
    private final Set<InetAddress> interfaceAddresses;
    private volatile int[] ownPorts = new int[0];

    /** Creates a guard that knows the host's interface addresses as they are now. */
    public ReflectionGuard() {
        this.interfaceAddresses = Collections.unmodifiableSet(interfaceAddresses());
    }

    private static Set<InetAddress> interfaceAddresses() {
        final Set<InetAddress> addresses = new HashSet<>();
        try {
            for (final NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                addresses.addAll(Collections.list(nic.getInetAddresses()));
            }
        } catch (final SocketException ex) {
            // No interface list (a sandbox): loopback and the wildcard are still recognised below.
        }
        return addresses;
    }

    /**
     * Registers one of this server's endpoints.
     *
     * @param bound the endpoint's bound address (its real port, after a port-0 bind)
     */
    public synchronized void addEndpoint(final InetSocketAddress bound) {
        final int port = bound.getPort();
        final int[] ports = ownPorts;
        for (final int known : ports) {
            if (known == port) {
                return;
            }
        }
        final int[] grown = Arrays.copyOf(ports, ports.length + 1);
        grown[ports.length] = port;
        ownPorts = grown;
    }

    /**
     * @param sender a datagram's source
     * @return true when the datagram must not be answered
     */
    public boolean refuses(final InetSocketAddress sender) {
        final int port = sender.getPort();
        if (port == 0) {
            return true;
        }
        for (final int own : ownPorts) {
            if (own == port) {
                return isThisHost(sender.getAddress());
            }
        }
        return false;
    }

    private boolean isThisHost(final InetAddress address) {
        return address == null || address.isLoopbackAddress() || address.isAnyLocalAddress()
            || interfaceAddresses.contains(address);
    }
}
