package corral.workers.logs;

import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * A time formatted to the second, formatted once per second: a {@code DateTimeFormatter} per log
 * line was ~1.5 KB of garbage a request (issue 12). The proxy's two access logs take their times
 * from it (its own line, and log_format's {@code $time_local} and {@code $time_iso8601}). It is
 * here, beside the {@link LogFile} both write through, because the log_format package already
 * uses the forwarding one, which could not use it back without a package cycle. Keyed by the
 * epoch second, so a zone's offset change (DST) shows at the very second it happens, as
 * formatting each instant would. Swapped whole, so any thread may read it; two threads
 * formatting the same new second both get the same text.
 */
public final class SecondText {
    private final DateTimeFormatter format;
    private volatile Entry last = new Entry(Long.MIN_VALUE, "");

    /** {@code format} must have no field finer than the second. */
    public SecondText(DateTimeFormatter format) {
        this.format = format;
    }

    /** {@code at} formatted, to its second. */
    public String of(Instant at) {
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
