package corral.proxy.forward;

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

    private static final DateTimeFormatter SECOND = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss")
            .withZone(ZoneId.systemDefault());
    private static final DateTimeFormatter OFFSET = DateTimeFormatter.ofPattern("XXXXX").withZone(ZoneId.systemDefault());

    // The second's text, formatted once per second: DateTimeFormatter per line was 1.5 KB of garbage
    // a request (JFR, issue 12). Swapped whole, so any thread may read it.
    private static volatile Second second = Second.of(0);

    /**
     * The log line, e.g. {@code 2026-11-24T10:00:00.123+08:00 10.0.0.7 h5.example.com "GET /h5/page/x"
     * 200 20480 12ms pool=h5 inst=0 pid=4242 tries=1}. The URI is quoted as received; a {@code "}
     * in it is escaped so a line always splits the same way.
     */
    public String line() {
        return timestamp(time) + ' ' + client + ' ' + (host == null ? "-" : host)
                + " \"" + method + ' ' + uri.replace("\"", "%22") + "\" " + status + ' ' + bytes + ' ' + latencyMs
                + "ms pool=" + pool + " inst=" + (instance < 0 ? "-" : Integer.toString(instance))
                + " pid=" + (pid == 0 ? "-" : Long.toString(pid)) + " tries=" + tries;
    }

    /** As {@code DateTimeFormatter.ISO_OFFSET_DATE_TIME}: the fraction without trailing zeros, none for a whole second. */
    static String timestamp(Instant time) {
        Second s = second;
        if (s.epochSecond != time.getEpochSecond()) {
            s = Second.of(time.getEpochSecond());
            second = s;
        }
        int nanos = time.getNano();
        if (nanos == 0) {
            return s.text + s.offset;
        }
        String digits = Integer.toString(1_000_000_000 + nanos).substring(1);
        int end = digits.length();
        while (digits.charAt(end - 1) == '0') {
            end--;
        }
        return s.text + '.' + digits.substring(0, end) + s.offset;
    }

    private record Second(long epochSecond, String text, String offset) {
        static Second of(long epochSecond) {
            Instant at = Instant.ofEpochSecond(epochSecond);
            return new Second(epochSecond, SECOND.format(at), OFFSET.format(at));
        }
    }
}
