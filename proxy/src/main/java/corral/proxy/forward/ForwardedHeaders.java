package corral.proxy.forward;

import io.undertow.client.ClientRequest;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.StatusCodes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The headers of a forwarded request and response, fixed up after Undertow's {@code ProxyHandler}
 * copied them. Undertow copies every header both ways, hop-by-hop ones included, and writes
 * {@code X-Forwarded-For} as the client address alone; this class gives the nginx behaviour:
 *
 * <ul>
 *   <li>hop-by-hop headers ({@code Connection} and the names it lists, {@code Keep-Alive},
 *       {@code Proxy-Connection}, {@code TE}, {@code Upgrade}) are dropped both ways, except the
 *       {@code Upgrade}/{@code Connection: Upgrade} pair of a protocol upgrade;</li>
 *   <li>on an app's public port ({@link ForwardTarget#addsForwarded()}): {@code X-Forwarded-For}
 *       is the client's list with the client address appended
 *       ({@code $proxy_add_x_forwarded_for}); {@code X-Forwarded-Proto} is this listener's scheme;
 *       {@code X-Forwarded-Host} is the {@code Host} the client sent. The vhost rules add none,
 *       as nginx adds none unless a {@code proxy_set_header} says so;</li>
 *   <li>{@code Host} is kept as the client sent it ({@code proxy_set_header Host $http_host});
 *       only when the client sent none is it set to this listener's address;</li>
 *   <li>the target's {@link HeaderOp}s are applied last, so they win.</li>
 * </ul>
 */
final class ForwardedHeaders {
    private static final HttpString PROXY_CONNECTION = new HttpString("Proxy-Connection");
    private static final List<HttpString> HOP_BY_HOP = List.of(Headers.CONNECTION, Headers.KEEP_ALIVE,
            PROXY_CONNECTION, Headers.TE, Headers.UPGRADE);
    private static final List<HttpString> UNDERTOW_FORWARDED = List.of(Headers.X_FORWARDED_FOR,
            Headers.X_FORWARDED_PROTO, Headers.X_FORWARDED_HOST, Headers.X_FORWARDED_PORT,
            Headers.X_FORWARDED_SERVER);
    // A Connection header may name other headers to drop; never these, which frame the message:
    // dropping them would desynchronise the stream to the instance.
    private static final Set<String> NEVER_DROPPED = Set.of("host", "content-length", "transfer-encoding");

    private ForwardedHeaders() {
    }

    /** Fixes the request headers about to be sent to the instance. */
    static void request(ClientRequest request, HttpServerExchange exchange, Forwarding forwarding) {
        HeaderMap out = request.getRequestHeaders();
        HeaderMap in = exchange.getRequestHeaders();
        boolean upgrade = isUpgrade(in);
        dropHopByHop(out, in.get(Headers.CONNECTION));
        if (upgrade) {
            out.put(Headers.CONNECTION, "Upgrade");
            out.put(Headers.UPGRADE, in.getFirst(Headers.UPGRADE));
        }
        String host = forwarding.host();
        if (host == null || host.isBlank()) {
            host = exchange.getHostAndPort();
            out.put(Headers.HOST, host);
        }
        if (forwarding.target().addsForwarded()) {
            out.put(Headers.X_FORWARDED_FOR, forwardedFor(in, forwarding.client()));
            out.put(Headers.X_FORWARDED_PROTO, exchange.getRequestScheme());
            out.put(Headers.X_FORWARDED_HOST, host);
        } else {
            // ProxyHandler added its own: the instance gets the client's, as through nginx
            for (HttpString name : UNDERTOW_FORWARDED) {
                out.remove(name);
                HeaderValues sent = in.get(name);
                if (sent != null) {
                    out.addAll(name, sent);
                }
            }
        }
        for (HeaderOp op : forwarding.target().headers()) {
            if (op.removes()) {
                out.remove(op.name());
            } else {
                out.put(new HttpString(op.name()), op.value());
            }
        }
    }

    /** Fixes the response headers of the instance before they are copied to the client. */
    static void response(HeaderMap headers, int status) {
        // A 101 hands the connection over: its Connection/Upgrade pair is what the client needs.
        if (status != StatusCodes.SWITCHING_PROTOCOLS) {
            dropHopByHop(headers, headers.get(Headers.CONNECTION));
        }
    }

    private static void dropHopByHop(HeaderMap headers, HeaderValues connection) {
        if (connection != null) {
            // Scanned in place, not split: Node's "Connection: keep-alive" on every answer made a
            // list, its iterator and strings each time (issue 12).
            for (int i = 0; i < connection.size(); i++) {
                String value = connection.get(i);
                int start = 0;
                while (start <= value.length()) {
                    int comma = value.indexOf(',', start);
                    int end = comma < 0 ? value.length() : comma;
                    dropListed(headers, value, start, end);
                    start = end + 1;
                }
            }
        }
        for (int i = 0; i < HOP_BY_HOP.size(); i++) {
            headers.remove(HOP_BY_HOP.get(i));
        }
    }

    /** Drops the header a Connection token names ({@code value} from {@code from} to {@code to}, untrimmed). */
    private static void dropListed(HeaderMap headers, String value, int from, int to) {
        while (from < to && value.charAt(from) <= ' ') {
            from++;
        }
        while (to > from && value.charAt(to - 1) <= ' ') {
            to--;
        }
        if (from == to || hopByHop(value, from, to)) {
            return; // nothing, or a name dropped anyway
        }
        String name = value.substring(from, to).toLowerCase(Locale.ROOT);
        if (!NEVER_DROPPED.contains(name)) {
            headers.remove(name);
        }
    }

    private static boolean hopByHop(String value, int from, int to) {
        for (int i = 0; i < HOP_BY_HOP.size(); i++) {
            HttpString name = HOP_BY_HOP.get(i);
            if (name.length() == to - from && value.regionMatches(true, from, name.toString(), 0, to - from)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isUpgrade(HeaderMap in) {
        HeaderValues connection = in.get(Headers.CONNECTION);
        return in.contains(Headers.UPGRADE) && connection != null && tokens(connection).contains("upgrade");
    }

    /** The client's X-Forwarded-For values (several headers joined) with {@code client} appended. */
    private static String forwardedFor(HeaderMap in, String client) {
        HeaderValues previous = in.get(Headers.X_FORWARDED_FOR);
        if (previous == null || previous.isEmpty()) {
            return client;
        }
        return String.join(", ", previous) + ", " + client;
    }

    private static List<String> tokens(HeaderValues values) {
        List<String> tokens = new ArrayList<>();
        for (String value : values) {
            for (String token : value.split(",")) {
                String t = token.trim().toLowerCase(Locale.ROOT);
                if (!t.isEmpty()) {
                    tokens.add(t);
                }
            }
        }
        return tokens;
    }
}
