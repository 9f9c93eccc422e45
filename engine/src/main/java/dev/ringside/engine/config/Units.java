package dev.ringside.engine.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Parses what users type: {@code host:port}, sizes ({@code 64k}, {@code 1m}) and durations ({@code 30s},
 * {@code 250ms}). Each failure is an {@link IllegalArgumentException} whose message is fit to show as is.
 */
public final class Units {
    private Units() {
    }

    /**
     * Parses {@code host:port}, {@code :port} or {@code port}; the host defaults to 127.0.0.1 (loopback).
     *
     * @param text the address
     * @return the resolved address
     */
    public static InetSocketAddress parseAddress(final String text) {
        final int colon = text.lastIndexOf(':');
        final String host = colon <= 0 ? "127.0.0.1" : text.substring(0, colon);
        final String portText = colon < 0 ? text : text.substring(colon + 1);
        final int port;
        try {
            port = Integer.parseInt(portText);
        } catch (final NumberFormatException ex) {
            throw new IllegalArgumentException(
                "bad address '" + text + "': expected host:port, e.g. 127.0.0.1:5000");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("bad port in '" + text + "': must be 0..65535");
        }
        try {
            final boolean bracketed = host.startsWith("[") && host.endsWith("]");
            final String bare = bracketed ? host.substring(1, host.length() - 1) : host;
            return new InetSocketAddress(InetAddress.getByName(bare), port);
        } catch (final UnknownHostException ex) {
            throw new IllegalArgumentException("unknown host '" + host + "' in '" + text + "'");
        }
    }

    /**
     * Parses a byte size with an optional binary suffix: {@code 512}, {@code 64k}, {@code 4m}, {@code 1g}.
     *
     * @param text the size
     * @return bytes
     */
    public static long parseBytes(final String text) {
        final String t = text.trim().toLowerCase(Locale.ROOT).replace("ib", "").replace("b", "");
        long multiplier = 1;
        String digits = t;
        if (t.endsWith("k")) {
            multiplier = 1024;
        } else if (t.endsWith("m")) {
            multiplier = 1024 * 1024;
        } else if (t.endsWith("g")) {
            multiplier = 1024L * 1024 * 1024;
        }
        if (multiplier != 1) {
            digits = t.substring(0, t.length() - 1);
        }
        try {
            final long value = Long.parseLong(digits.trim());
            if (value < 0) {
                throw new NumberFormatException();
            }
            return Math.multiplyExact(value, multiplier);
        } catch (final NumberFormatException | ArithmeticException ex) {
            throw new IllegalArgumentException("bad size '" + text + "': expected e.g. 4096, 64k, 4m");
        }
    }

    /**
     * Parses a duration: {@code 30s}, {@code 250ms}, {@code 2m}, {@code 100us}, {@code 1h}; a bare number is
     * seconds.
     *
     * @param text the duration
     * @return nanoseconds
     */
    public static long parseDurationNs(final String text) {
        final String t = text.trim().toLowerCase(Locale.ROOT);
        final TimeUnit unit;
        final String digits;
        if (t.endsWith("ms")) {
            unit = TimeUnit.MILLISECONDS;
            digits = t.substring(0, t.length() - 2);
        } else if (t.endsWith("us")) {
            unit = TimeUnit.MICROSECONDS;
            digits = t.substring(0, t.length() - 2);
        } else if (t.endsWith("ns")) {
            unit = TimeUnit.NANOSECONDS;
            digits = t.substring(0, t.length() - 2);
        } else if (t.endsWith("s")) {
            unit = TimeUnit.SECONDS;
            digits = t.substring(0, t.length() - 1);
        } else if (t.endsWith("m")) {
            unit = TimeUnit.MINUTES;
            digits = t.substring(0, t.length() - 1);
        } else if (t.endsWith("h")) {
            unit = TimeUnit.HOURS;
            digits = t.substring(0, t.length() - 1);
        } else {
            unit = TimeUnit.SECONDS;
            digits = t;
        }
        try {
            final double value = Double.parseDouble(digits);
            if (value < 0 || Double.isNaN(value) || Double.isInfinite(value)) {
                throw new NumberFormatException();
            }
            return (long) (value * unit.toNanos(1));
        } catch (final NumberFormatException ex) {
            throw new IllegalArgumentException("bad duration '" + text + "': expected e.g. 30s, 250ms, 2m");
        }
    }

    /**
     * Formats an address as {@code host:port}.
     *
     * @param address the address
     * @return the text
     */
    public static String format(final InetSocketAddress address) {
        final String host = address.getAddress() == null
            ? address.getHostString() : address.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /**
     * Formats a byte count the way {@link #parseBytes} reads it back: whole KiB, MiB or GiB when exact.
     *
     * @param bytes a count
     * @return for example {@code 64k}, {@code 256m}, or {@code 1500}
     */
    public static String formatBytes(final long bytes) {
        final String[] suffixes = {"g", "m", "k"};
        for (int i = 0; i < suffixes.length; i++) {
            final long unit = 1L << (10 * (suffixes.length - i));
            if (bytes >= unit && bytes % unit == 0) {
                return bytes / unit + suffixes[i];
            }
        }
        return Long.toString(bytes);
    }
}
