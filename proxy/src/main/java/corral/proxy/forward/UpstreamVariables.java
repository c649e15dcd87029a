package corral.proxy.forward;

import corral.proxy.balance.Upstream;
import io.undertow.server.HttpServerExchange;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;

/**
 * nginx's {@code $upstream_*} variables of a finished exchange, for an access-log line: null
 * (not found) when the request was not forwarded or reached no instance. With retries, one value
 * per instance tried, joined by ", " as nginx joins them; an attempt that failed shows 502.
 */
public final class UpstreamVariables {

    /** Put on an exchange whose access-log line the vhost's {@code access_log}s write: no line in log/access.log. */
    public static final io.undertow.util.AttachmentKey<Boolean> LOGGED_BY_RULES =
            io.undertow.util.AttachmentKey.create(Boolean.class);

    private UpstreamVariables() {
    }

    /** {@code $upstream_addr}: {@code 127.0.0.1:PORT} of each instance tried. */
    public static String addr(HttpServerExchange exchange) {
        List<Upstream> tried = tried(exchange);
        if (tried == null) {
            return null;
        }
        StringJoiner out = new StringJoiner(", ");
        tried.forEach(u -> out.add("127.0.0.1:" + u.port()));
        return out.toString();
    }

    /** {@code $upstream_status}. */
    public static String status(HttpServerExchange exchange) {
        List<Upstream> tried = tried(exchange);
        if (tried == null) {
            return null;
        }
        Forwarding f = exchange.getAttachment(Forwarding.KEY);
        StringJoiner out = new StringJoiner(", ");
        for (int i = 0; i < tried.size() - 1; i++) {
            out.add("502");
        }
        out.add(f.answeredWith() != null ? "502" : Integer.toString(exchange.getStatusCode()));
        return out.toString();
    }

    /** {@code $upstream_response_time} (and the connect and header times, which Corral does not part): seconds. */
    public static long responseMillis(HttpServerExchange exchange) {
        Forwarding f = exchange.getAttachment(Forwarding.KEY);
        return f == null ? -1 : TimeUnit.NANOSECONDS.toMillis(f.elapsedNanos());
    }

    private static List<Upstream> tried(HttpServerExchange exchange) {
        Forwarding f = exchange.getAttachment(Forwarding.KEY);
        return f == null || f.tried().isEmpty() ? null : f.tried();
    }
}
