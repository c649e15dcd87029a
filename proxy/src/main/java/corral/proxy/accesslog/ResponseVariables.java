package corral.proxy.accesslog;

import corral.workers.logs.SecondText;
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
            "sent_http_content_length", "sent_http_location", "request_completion", "upstream_cache_status",
            "http2");

    private static final SecondText LOCAL = new SecondText(DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z",
            Locale.ROOT).withZone(ZoneId.systemDefault()));
    private static final SecondText ISO = new SecondText(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx",
            Locale.ROOT).withZone(ZoneId.systemDefault()));

    private ResponseVariables() {
    }

    /** Whether {@code name} is a variable of the answer: one of {@link #NAMES}, or {@code $sent_http_NAME}. */
    public static boolean knows(String name) {
        return NAMES.contains(name) || (name.startsWith("sent_http_") && name.length() > 10);
    }

    /**
     * The value nginx gives a variable of the answer read before there is one (a map read by
     * the rewrites): {@code $status} 000, the byte counts 0, the times now; the upstream's and
     * the answer's headers are not found yet (""). {@code $request_time} and
     * {@code $request_length} read then are "" in Corral.
     */
    public static String beforeAnswer(String name) {
        return switch (name) {
            case "status" -> "000";
            case "body_bytes_sent", "bytes_sent" -> "0";
            case "pipe" -> ".";
            case "msec" -> msec(Instant.now());
            case "time_local" -> timeLocal(Instant.now());
            case "time_iso8601" -> timeIso8601(Instant.now());
            default -> "";
        };
    }

    /** {@code $time_local}. */
    public static String timeLocal(Instant at) {
        return LOCAL.of(at);
    }

    /** {@code $time_iso8601}. */
    public static String timeIso8601(Instant at) {
        return ISO.of(at);
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
