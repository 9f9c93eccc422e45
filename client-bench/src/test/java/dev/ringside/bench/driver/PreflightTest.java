package dev.ringside.bench.driver;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class PreflightTest {
    private static final int PORTS = 28_232;

    private static BenchSettings settings(final int connections, final String target) {
        return new BenchSettings().target(new InetSocketAddress(target, 5000)).connections(connections).rate(1000)
            .validate();
    }

    private static List<InetAddress> loopback(final int count) throws UnknownHostException {
        final List<InetAddress> addresses = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            addresses.add(InetAddress.getByName("127.0.0." + (2 + i)));
        }
        return addresses;
    }

    @Test
    void shouldPassWhenEverythingFits() {
        assertNull(Preflight.problem(settings(10_000, "127.0.0.1"), 50_000, 50_000, PORTS));
    }

    @Test
    void shouldSayHowToRaiseTheDescriptorLimit() {
        final String problem = Preflight.problem(settings(10_000, "127.0.0.1"), 1_000, 1_024, PORTS);
        assertTrue(problem.contains("ulimit -n 10240"), problem);
        assertTrue(problem.indexOf('\n') < 0, "one line");
    }

    @Test
    void shouldAskForSourceAddressesPastTheEphemeralPortRange() throws UnknownHostException {
        final String problem = Preflight.problem(settings(60_000, "127.0.0.1"), 1_000_000, 1_000_000, PORTS);
        assertTrue(problem.contains("--bind 127.0.0.2-127.0.0.4"), problem);
        final BenchSettings spread = settings(60_000, "127.0.0.1").bindAddresses(loopback(3));
        assertNull(Preflight.problem(spread, 1_000_000, 1_000_000, PORTS));
        final BenchSettings tooFew = settings(60_000, "127.0.0.1").bindAddresses(loopback(2));
        assertTrue(Preflight.problem(tooFew, 1_000_000, 1_000_000, PORTS).contains("2 source addresses"));
    }

    @Test
    void shouldReadThisMachinesFigures() {
        assertTrue(Preflight.ephemeralPorts() > 1000);
        assertTrue(Preflight.descriptorLimit() != 0);
    }
}
