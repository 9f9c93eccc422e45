package dev.ringside.engine.protocol.http;

import java.nio.charset.StandardCharsets;

import dev.ringside.engine.protocol.ProtocolTimer;
import org.agrona.MutableDirectBuffer;

/**
 * The clock behind HTTP's {@code Date} header: the current second, advanced by a timer (it is a
 * {@link ProtocolTimer}) rather than read per request. Readers on any thread see the latest second through
 * one volatile read and render the 29 header bytes themselves only when the second has changed, so the
 * date is formatted about once a second per thread and never allocates.
 */
public final class HttpDate implements ProtocolTimer {
    /** Length of an IMF-fixdate, e.g. {@code Sun, 06 Nov 1994 08:49:37 GMT}. */
    public static final int LENGTH = 29;

    private static final long MILLIS_PER_SECOND = 1000;
    private static final long SECONDS_PER_DAY = 86_400;
    private static final byte[] DAY_NAMES = "SunMonTueWedThuFriSat".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MONTH_NAMES =
        "JanFebMarAprMayJunJulAugSepOctNovDec".getBytes(StandardCharsets.US_ASCII);

    private volatile long epochSecond;

    /**
     * Creates the clock at a given time.
     *
     * @param epochMillis wall-clock time now
     */
    public HttpDate(final long epochMillis) {
        this.epochSecond = Math.floorDiv(epochMillis, MILLIS_PER_SECOND);
    }

    /** @return the current second since the epoch, as last set by the timer */
    public long epochSecond() {
        return epochSecond;
    }

    /**
     * Moves the clock to the given time and asks to be called again at the start of the next second.
     *
     * @param epochMillis wall-clock time now
     * @return milliseconds to the next second boundary
     */
    @Override
    public long onTick(final long epochMillis) {
        epochSecond = Math.floorDiv(epochMillis, MILLIS_PER_SECOND);
        return MILLIS_PER_SECOND - Math.floorMod(epochMillis, MILLIS_PER_SECOND);
    }

    /**
     * Writes a second as an IMF-fixdate (RFC 9110 section 5.6.7), {@link #LENGTH} ASCII bytes, without
     * allocating.
     *
     * @param epochSecond seconds since 1970-01-01T00:00:00Z
     * @param dst         destination
     * @param offset      where the first byte goes
     */
    public static void format(final long epochSecond, final MutableDirectBuffer dst, final int offset) {
        final long days = Math.floorDiv(epochSecond, SECONDS_PER_DAY);
        final int secondOfDay = (int) Math.floorMod(epochSecond, SECONDS_PER_DAY);
        // 1970-01-01 was a Thursday (index 4 counting from Sunday).
        final int weekday = Math.floorMod(days + 4, 7);

        // Civil date from days since the epoch: Howard Hinnant's days_from_civil inverse, with years
        // counted from March so the leap day falls at the end of a year.
        final long z = days + 719_468;
        final long era = Math.floorDiv(z, 146_097);
        final long dayOfEra = z - era * 146_097;
        final long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        final long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        final long monthFromMarch = (5 * dayOfYear + 2) / 153;
        final int day = (int) (dayOfYear - (153 * monthFromMarch + 2) / 5 + 1);
        final int month = (int) (monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9);
        final long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);

        int i = offset;
        dst.putBytes(i, DAY_NAMES, weekday * 3, 3);
        i += 3;
        dst.putByte(i++, (byte) ',');
        dst.putByte(i++, (byte) ' ');
        i = twoDigits(dst, i, day);
        dst.putByte(i++, (byte) ' ');
        dst.putBytes(i, MONTH_NAMES, (month - 1) * 3, 3);
        i += 3;
        dst.putByte(i++, (byte) ' ');
        i = twoDigits(dst, i, (int) (year / 100 % 100));
        i = twoDigits(dst, i, (int) (year % 100));
        dst.putByte(i++, (byte) ' ');
        i = twoDigits(dst, i, secondOfDay / 3600);
        dst.putByte(i++, (byte) ':');
        i = twoDigits(dst, i, secondOfDay / 60 % 60);
        dst.putByte(i++, (byte) ':');
        i = twoDigits(dst, i, secondOfDay % 60);
        dst.putByte(i++, (byte) ' ');
        dst.putByte(i++, (byte) 'G');
        dst.putByte(i++, (byte) 'M');
        dst.putByte(i, (byte) 'T');
    }

    private static int twoDigits(final MutableDirectBuffer dst, final int index, final int value) {
        dst.putByte(index, (byte) ('0' + value / 10));
        dst.putByte(index + 1, (byte) ('0' + value % 10));
        return index + 2;
    }
}
