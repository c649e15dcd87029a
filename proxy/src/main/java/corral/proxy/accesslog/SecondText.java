package corral.proxy.accesslog;

import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * A time formatted to the second, formatted once per second: a {@code DateTimeFormatter} per log
 * line was ~1.5 KB of garbage a request on the I/O threads (issue 12). Keyed by the epoch second,
 * so a zone's offset change (DST) shows at the very second it happens, as formatting each instant
 * would. Swapped whole, so any thread may read it; two threads formatting the same new second
 * both get the same text.
 */
final class SecondText {
    private final DateTimeFormatter format;
    private volatile Entry last = new Entry(Long.MIN_VALUE, "");

    /** {@code format} must have no field finer than the second. */
    SecondText(DateTimeFormatter format) {
        this.format = format;
    }

    String of(Instant at) {
        long second = at.getEpochSecond();
        Entry e = last;
        if (e.second != second) {
            e = new Entry(second, format.format(Instant.ofEpochSecond(second)));
            last = e;
        }
        return e.text;
    }

    private record Entry(long second, String text) {
    }
}
