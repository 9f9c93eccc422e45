package dev.ringside.bench.cli;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses {@code --bind}: one address, a comma-separated list, or an IPv4 range {@code 127.0.0.2-127.0.0.9}
 * (inclusive), or a mix: {@code 127.0.0.2-127.0.0.5,127.0.0.9}.
 */
final class AddressRange {
    /** Most addresses one {@code --bind} may name. */
    static final int MAX_ADDRESSES = 65_536;

    private AddressRange() {
    }

    static List<InetAddress> parse(final String text) {
        final List<InetAddress> addresses = new ArrayList<>();
        for (final String part : text.split(",")) {
            final String item = part.trim();
            final int dash = item.indexOf('-');
            if (dash < 0) {
                addresses.add(address(item, text));
                continue;
            }
            final InetAddress first = address(item.substring(0, dash).trim(), text);
            final InetAddress last = address(item.substring(dash + 1).trim(), text);
            if (!(first instanceof Inet4Address) || !(last instanceof Inet4Address)) {
                throw new IllegalArgumentException("bad --bind '" + text + "': ranges are IPv4 only");
            }
            final long from = toLong(first);
            final long to = toLong(last);
            if (to < from || to - from + 1 > MAX_ADDRESSES) {
                throw new IllegalArgumentException("bad --bind '" + text + "': a range goes from low to high, at most "
                    + MAX_ADDRESSES + " addresses");
            }
            for (long a = from; a <= to; a++) {
                try {
                    addresses.add(InetAddress.getByAddress(new byte[] {(byte) (a >>> 24), (byte) (a >>> 16),
                        (byte) (a >>> 8), (byte) a}));
                } catch (final UnknownHostException ex) {
                    throw new IllegalArgumentException("bad --bind '" + text + "'", ex);
                }
            }
        }
        if (addresses.isEmpty() || addresses.size() > MAX_ADDRESSES) {
            throw new IllegalArgumentException("bad --bind '" + text + "': give 1.." + MAX_ADDRESSES + " addresses");
        }
        return addresses;
    }

    private static InetAddress address(final String text, final String whole) {
        if (text.isEmpty() || !(Character.isDigit(text.charAt(0)) || text.indexOf(':') >= 0)) {
            throw new IllegalArgumentException("bad --bind '" + whole + "': expected addresses such as "
                + "127.0.0.2-127.0.0.9");
        }
        try {
            return InetAddress.getByName(text);
        } catch (final UnknownHostException ex) {
            throw new IllegalArgumentException("bad --bind '" + whole + "': '" + text + "' is not an address");
        }
    }

    private static long toLong(final InetAddress address) {
        final byte[] b = address.getAddress();
        return ((b[0] & 0xFFL) << 24) | ((b[1] & 0xFFL) << 16) | ((b[2] & 0xFFL) << 8) | (b[3] & 0xFFL);
    }
}
