package corral.proxy.forward;

import corral.workers.logs.SecondText;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * One forwarded request, as the access log shows it.
 *
 * @param time      when the request arrived
 * @param client    the client's address
 * @param host      the {@code Host} it sent, or null
 * @param method    the request method
 * @param uri       the URI as the client sent it (before rewriting)
 * @param pool      the pool it was forwarded to
 * @param instance  the index of the last instance it was assigned to, or -1 if none
 * @param pid       that instance's pid, or 0
 * @param tries     how many instances it was sent to
 * @param status    the status the client got
 * @param bytes     response body bytes sent to the client
 * @param latencyMs milliseconds from arrival to the end of the response
 */
public record AccessRecord(Instant time, String client, String host, String method, String uri, String pool,
                           int instance, long pid, int tries, int status, long bytes, long latencyMs) {

    // The second and the zone's offset, each formatted once per second (the fraction goes between them).
    private static final SecondText SECOND = new SecondText(DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss")
            .withZone(ZoneId.systemDefault()));
    private static final SecondText OFFSET = new SecondText(DateTimeFormatter.ofPattern("XXXXX")
            .withZone(ZoneId.systemDefault()));

    /**
     * The log line, e.g. {@code 2026-11-24T10:00:00.123+08:00 10.0.0.7 h5.example.com "GET /h5/page/x"
     * 200 20480 12ms pool=h5 inst=0 pid=4242 tries=1}. The URI is quoted as received; a {@code "}
     * in it is escaped so a line always splits the same way.
     */
    public String line() {
        return appendLine(new StringBuilder(160)).toString();
    }

    /**
     * Appends {@link #line()} to {@code b}: the access-log writer reuses one builder, where the
     * concatenations made a dozen strings a line (issue 12).
     */
    StringBuilder appendLine(StringBuilder b) {
        appendTimestamp(b, time).append(' ').append(client).append(' ').append(host == null ? "-" : host)
                .append(" \"").append(method).append(' ');
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c == '"') {
                b.append("%22");
            } else {
                b.append(c);
            }
        }
        b.append("\" ").append(status).append(' ').append(bytes).append(' ').append(latencyMs).append("ms pool=")
                .append(pool).append(" inst=");
        if (instance < 0) {
            b.append('-');
        } else {
            b.append(instance);
        }
        b.append(" pid=");
        if (pid == 0) {
            b.append('-');
        } else {
            b.append(pid);
        }
        return b.append(" tries=").append(tries);
    }

    /** As {@code DateTimeFormatter.ISO_OFFSET_DATE_TIME}: the fraction without trailing zeros, none for a whole second. */
    static String timestamp(Instant time) {
        return appendTimestamp(new StringBuilder(40), time).toString();
    }

    private static StringBuilder appendTimestamp(StringBuilder b, Instant time) {
        b.append(SECOND.of(time));
        int nanos = time.getNano();
        if (nanos != 0) {
            b.append('.');
            // the nine places of the nanoseconds, up to the last that is not zero
            for (int place = 100_000_000; nanos != 0; place /= 10) {
                b.append((char) ('0' + nanos / place));
                nanos %= place;
            }
        }
        return b.append(OFFSET.of(time));
    }
}
