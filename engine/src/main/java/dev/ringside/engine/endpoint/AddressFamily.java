package dev.ringside.engine.endpoint;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;

/**
 * The socket family an address needs. Without one, the JDK opens every socket as a dual-stack {@code AF_INET6}
 * socket, even for {@code 127.0.0.1}; the kernel then carries IPv4 traffic through its IPv6 socket layer
 * ({@code inet6_recvmsg}, v4-mapped addresses), which `perf` showed as part of the extra kernel time per message
 * against a C server using {@code AF_INET} (perf/RESULTS.md, "Server speed, session 4").
 */
public final class AddressFamily {
    private AddressFamily() {
    }

    /**
     * @param address where a socket binds or connects
     * @return {@code INET6} for an IPv6 address, else {@code INET}; an unresolved address gets {@code INET6},
     *         the JDK's own default, so its error stays the one the JDK reports
     */
    public static ProtocolFamily of(final InetSocketAddress address) {
        return address.isUnresolved() || address.getAddress() instanceof Inet6Address ? StandardProtocolFamily.INET6
            : StandardProtocolFamily.INET;
    }
}
