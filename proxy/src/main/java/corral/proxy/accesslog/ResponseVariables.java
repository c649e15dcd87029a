package corral.proxy.accesslog;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Set;

/**
 * The variables a log line knows only once the answer is sent (nginx's log module and upstream
 * variables), with nginx's text for times: {@code $time_local} {@code 06/Dec/2026:21:00:00 +0000},
 * {@code $time_iso8601} {@code 2026-12-06T21:00:00+00:00}, {@code $msec} and durations in
 * seconds with milliseconds ({@code 0.003}). Times are taken at the end of the request, as nginx's.
 */
public final class ResponseVariables {

    /** Names the listeners fill in; every other variable comes from the request. */
    public static final Set<String> NAMES = Set.of("status", "body_bytes_sent", "bytes_sent", "request_time",
            "request_length", "msec", "time_local", "time_iso8601", "pipe",
            "upstream_addr", "upstream_status", "upstream_response_time", "upstream_connect_time",
            "upstream_header_time", "upstream_response_length", "upstream_bytes_received", "sent_http_content_type",
            "sent_http_content_length", "sent_http_location");

    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT)
            .withZone(ZoneId.systemDefault());
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx", Locale.ROOT)
            .withZone(ZoneId.systemDefault());

    private ResponseVariables() {
    }

    /** {@code $time_local}. */
    public static String timeLocal(Instant at) {
        return LOCAL.format(at);
    }

    /** {@code $time_iso8601}. */
    public static String timeIso8601(Instant at) {
        return ISO.format(at);
    }

    /** {@code $msec}: seconds since the epoch with milliseconds. */
    public static String msec(Instant at) {
        return seconds(at.toEpochMilli());
    }

    /** A duration as nginx writes {@code $request_time}: seconds, a dot, three digits. */
    public static String seconds(long millis) {
        long ms = Math.max(0, millis);
        String frac = Long.toString(1000 + ms % 1000).substring(1);
        return ms / 1000 + "." + frac;
    }
}
