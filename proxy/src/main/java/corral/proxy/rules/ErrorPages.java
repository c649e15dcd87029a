package corral.proxy.rules;

import corral.proxy.rules.RouteDecision.Respond;

import java.util.Map;
import java.util.stream.Collectors;

/** The answers nginx makes up itself: its small HTML error pages, without its version line. */
public final class ErrorPages {

    /** What {@code return code text} is sent as ({@code default_type text/plain}). */
    static final String TEXT = "text/plain";

    private static final Map<Integer, String> REASONS = Map.ofEntries(
            Map.entry(400, "Bad Request"), Map.entry(401, "Authorization Required"),
            Map.entry(402, "Payment Required"), Map.entry(403, "Forbidden"),
            Map.entry(404, "Not Found"), Map.entry(405, "Not Allowed"),
            Map.entry(406, "Not Acceptable"), Map.entry(408, "Request Time-out"),
            Map.entry(409, "Conflict"), Map.entry(410, "Gone"),
            Map.entry(411, "Length Required"), Map.entry(412, "Precondition Failed"),
            Map.entry(413, "Request Entity Too Large"), Map.entry(414, "Request-URI Too Large"),
            Map.entry(415, "Unsupported Media Type"), Map.entry(416, "Requested Range Not Satisfiable"),
            Map.entry(421, "Misdirected Request"), Map.entry(429, "Too Many Requests"),
            Map.entry(500, "Internal Server Error"), Map.entry(501, "Not Implemented"),
            Map.entry(502, "Bad Gateway"), Map.entry(503, "Service Temporarily Unavailable"),
            Map.entry(504, "Gateway Time-out"), Map.entry(505, "HTTP Version Not Supported"),
            Map.entry(507, "Insufficient Storage"));

    /** nginx's page of each status it has one for, made once (issue 12: not on every call). */
    private static final Map<Integer, String> BODIES = REASONS.entrySet().stream().collect(
            Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> body(e.getKey() + " " + e.getValue())));

    private ErrorPages() {
    }

    private static String body(String title) {
        return "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n"
                + "<center><h1>" + title + "</h1></center>\r\n</body>\r\n</html>\r\n";
    }

    /**
     * Whether {@code r} is one of these pages: an answer of nginx's special response handler,
     * which {@code error_page} may take ({@code return code text} is sent as text/plain, so is
     * none).
     */
    static boolean made(Respond r) {
        if (r.contentType().isEmpty()) {
            return r.body().isEmpty() && !BODIES.containsKey(r.status());
        }
        // the type first: a return's text/plain answer is told apart without boxing its status
        return r.contentType().equals("text/html") && r.body().equals(BODIES.get(r.status()));
    }

    /** nginx's page for {@code status}; an empty body and no Content-Type for codes it has no page for. */
    public static Respond of(int status) {
        String body = BODIES.get(status);
        // a new Respond each time: callers tell the first error from a page's answer by identity
        return body == null ? new Respond(status, "", "") : new Respond(status, body, "text/html");
    }
}
