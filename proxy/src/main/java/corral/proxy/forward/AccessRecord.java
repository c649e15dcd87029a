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

    private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_OFFSET_DATE_TIME.withZone(ZoneId.systemDefault());

    /**
     * The log line, e.g. {@code 2026-11-24T10:00:00.123+08:00 10.0.0.7 h5.example.com "GET /h5/page/x"
     * 200 20480 12ms pool=h5 inst=0 pid=4242 tries=1}. The URI is quoted as received; a {@code "}
     * in it is escaped so a line always splits the same way.
     */
    public String line() {
        return TIME.format(time) + ' ' + client + ' ' + (host == null ? "-" : host)
                + " \"" + method + ' ' + uri.replace("\"", "%22") + "\" " + status + ' ' + bytes + ' ' + latencyMs
                + "ms pool=" + pool + " inst=" + (instance < 0 ? "-" : Integer.toString(instance))
                + " pid=" + (pid == 0 ? "-" : Long.toString(pid)) + " tries=" + tries;
    }
}
