package dev.ringside.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

class AddressRangeTest {
    @Test
    void shouldExpandRangesAndLists() throws Exception {
        final List<InetAddress> addresses = AddressRange.parse("127.0.0.254-127.0.1.1,10.0.0.7");
        assertEquals(List.of(InetAddress.getByName("127.0.0.254"), InetAddress.getByName("127.0.0.255"),
            InetAddress.getByName("127.0.1.0"), InetAddress.getByName("127.0.1.1"), InetAddress.getByName("10.0.0.7")),
            addresses);
        assertEquals(8, AddressRange.parse("127.0.0.2-127.0.0.9").size());
    }

    @Test
    void shouldRejectWhatIsNotARange() {
        assertThrows(IllegalArgumentException.class, () -> AddressRange.parse("127.0.0.9-127.0.0.2"));
        assertThrows(IllegalArgumentException.class, () -> AddressRange.parse("localhost"));
        assertThrows(IllegalArgumentException.class, () -> AddressRange.parse("10.0.0.0-10.2.0.0"));
        assertThrows(IllegalArgumentException.class, () -> AddressRange.parse(""));
    }
}
