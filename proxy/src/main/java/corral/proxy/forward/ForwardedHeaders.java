package corral.proxy.forward;

import io.undertow.client.ClientRequest;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Cookies;
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
 * The headers of a forwarded request and response, as nginx sends them. The request to the
 * instance is built here once, from the client's headers; the instance's response headers are
 * fixed in place before they are copied to the client:
 *
 * <ul>
 *   <li>hop-by-hop headers ({@code Connection} and the names it lists, {@code Keep-Alive},
 *       {@code Proxy-Connection}, {@code TE}, {@code Upgrade}) are dropped both ways, except the
 *       {@code Upgrade}/{@code Connection: Upgrade} pair of a protocol upgrade;</li>
 *   <li>on an app's public port ({@link ForwardTarget#addsForwarded()}): {@code X-Forwarded-For}
 *       is the client's list with the client address appended
 *       ({@code $proxy_add_x_forwarded_for}); {@code X-Forwarded-Proto} is this listener's scheme;
 *       {@code X-Forwarded-Host} is the {@code Host} the client sent; {@code X-Forwarded-Server}
 *       and {@code X-Forwarded-Port} are this listener's host name and port (what Undertow's
 *       {@code ProxyHandler} sent there, kept so apps see no change). The vhost rules add none,
 *       as nginx adds none unless a {@code proxy_set_header} says so: the client's own pass;</li>
 *   <li>{@code Host} is kept as the client sent it ({@code proxy_set_header Host $http_host});
 *       only when the client sent none is it set to this listener's address;</li>
 *   <li>a body of unknown length (an HTTP/2 client's) goes chunked, several {@code Cookie}
 *       headers go as one (joined by ";", as {@code ProxyHandler} did: {@code Cookies.assembleCrumbs});</li>
 *   <li>the target's {@link HeaderOp}s are applied last, so they win.</li>
 * </ul>
 */
final class ForwardedHeaders {
    private static final HttpString PROXY_CONNECTION = new HttpString("Proxy-Connection");
    private static final List<HttpString> HOP_BY_HOP = List.of(Headers.CONNECTION, Headers.KEEP_ALIVE,
            PROXY_CONNECTION, Headers.TE, Headers.UPGRADE);
    /** What an app's public port sets itself: the client's values are not copied. */
    private static final List<HttpString> FORWARDED = List.of(Headers.X_FORWARDED_FOR,
            Headers.X_FORWARDED_PROTO, Headers.X_FORWARDED_HOST, Headers.X_FORWARDED_PORT,
            Headers.X_FORWARDED_SERVER);
    // A Connection header may name other headers to drop; never these, which frame the message:
    // dropping them would desynchronise the stream to the instance.
    private static final Set<String> NEVER_DROPPED = Set.of("host", "content-length", "transfer-encoding");
    private static final String CHUNKED = Headers.CHUNKED.toString();
    private static final String H2C = "h2c";

    private ForwardedHeaders() {
    }

    /**
     * The request to send to the instance for the exchange: its method, the target's URI, and the
     * headers as the class comment says. Headers are copied once, those replaced or dropped are
     * never copied (issue 12: ProxyHandler added X-Forwarded-* and attachments that were then
     * removed or rewritten here).
     */
    static ClientRequest request(HttpServerExchange exchange, Forwarding forwarding) {
        ForwardTarget target = forwarding.target();
        ClientRequest request = new ClientRequest().setMethod(exchange.getRequestMethod()).setPath(path(target.uri()));
        HeaderMap out = request.getRequestHeaders();
        HeaderMap in = exchange.getRequestHeaders();
        if (H2C.equals(in.getFirst(Headers.UPGRADE))) {
            // as ProxyHandler: an h2c upgrade is not passed to the instance, nor taken as an upgrade
            in.remove(Headers.UPGRADE);
        }
        boolean adds = target.addsForwarded();
        for (long f = in.fastIterateNonEmpty(); f != -1L; f = in.fiNextNonEmpty(f)) {
            HeaderValues values = in.fiCurrent(f);
            HttpString name = values.getHeaderName();
            if (!listed(HOP_BY_HOP, name) && !(adds && listed(FORWARDED, name))) {
                out.putAll(name, values);
            }
        }
        HeaderValues connection = in.get(Headers.CONNECTION);
        if (connection != null) {
            dropListed(out, connection);
            if (!adds) {
                keepForwarded(out, in); // the client's own X-Forwarded-* pass even when Connection lists them
            }
            if (in.contains(Headers.UPGRADE) && tokens(connection).contains("upgrade")) {
                out.put(Headers.CONNECTION, "Upgrade");
                out.put(Headers.UPGRADE, in.getFirst(Headers.UPGRADE));
            }
        }
        String host = forwarding.host();
        if (host == null || host.isBlank()) {
            host = exchange.getHostAndPort();
            out.put(Headers.HOST, host);
        }
        if (adds) {
            out.put(Headers.X_FORWARDED_FOR, forwardedFor(in, forwarding.client()));
            out.put(Headers.X_FORWARDED_PROTO, exchange.getRequestScheme());
            out.put(Headers.X_FORWARDED_HOST, host);
            out.put(Headers.X_FORWARDED_SERVER, exchange.getHostName());
            out.put(Headers.X_FORWARDED_PORT, exchange.getHostPort());
        }
        if (!exchange.isRequestComplete() && !out.contains(Headers.TRANSFER_ENCODING)
                && !out.contains(Headers.CONTENT_LENGTH)) {
            // A body without a length (an HTTP/2 client's): the instance learns its end from chunks.
            out.put(Headers.TRANSFER_ENCODING, CHUNKED);
        }
        Cookies.assembleCrumbs(out);
        for (HeaderOp op : target.headers()) {
            if (op.removes()) {
                out.remove(op.name());
            } else {
                out.put(new HttpString(op.name()), op.value());
            }
        }
        return request;
    }

    private static void keepForwarded(HeaderMap out, HeaderMap in) {
        for (int i = 0; i < FORWARDED.size(); i++) {
            HeaderValues sent = in.get(FORWARDED.get(i));
            if (sent != null && !sent.isEmpty() && !out.contains(FORWARDED.get(i))) {
                out.addAll(FORWARDED.get(i), sent);
            }
        }
    }

    /** The target's URI as ProxyHandler sent it: an empty query leaves no "?". */
    private static String path(String uri) {
        return uri.endsWith("?") ? uri.substring(0, uri.length() - 1) : uri;
    }

    private static boolean listed(List<HttpString> names, HttpString name) {
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equals(name)) {
                return true;
            }
        }
        return false;
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
            dropListed(headers, connection);
        }
        for (int i = 0; i < HOP_BY_HOP.size(); i++) {
            headers.remove(HOP_BY_HOP.get(i));
        }
    }

    /** Drops from {@code headers} the names a Connection header lists. */
    private static void dropListed(HeaderMap headers, HeaderValues connection) {
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
