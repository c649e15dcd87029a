package corral.proxy.gzip;

import io.undertow.conduits.GzipStreamSinkConduit;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.util.DateUtils;
import io.undertow.util.HeaderValues;
import io.undertow.util.Protocols;
import java.util.Date;
import java.util.Locale;
import java.util.Set;

/**
 * nginx's gzip header filter (ngx_http_gzip_header_filter and ngx_http_gzip_ok, 1.22) on one
 * proxied answer, decided when the answer's head is known (Undertow builds the response
 * conduit then): only 200, 403 and 404; not with a Content-Encoding; not under
 * {@code gzip_min_length} when the length is known; only the {@code gzip_types}. Past those, {@code gzip_vary} adds "Vary: Accept-Encoding" whether or not the client
 * takes gzip. Then the request: Accept-Encoding, msie6, {@code gzip_http_version}, Via against
 * {@code gzip_proxied}, User-Agent against {@code gzip_disable}.
 */
public final class GzipFilter {

    private static final HttpString VIA = new HttpString("Via");

    private GzipFilter() {
    }

    /** Compresses the answer of {@code exchange} as nginx would with {@code settings}. */
    public static void install(HttpServerExchange exchange, GzipSettings settings) {
        install(exchange, settings, () -> true);
    }

    /** As {@link #install(HttpServerExchange, GzipSettings)}, applied only while {@code live} holds when the answer starts. */
    public static void install(HttpServerExchange exchange, GzipSettings settings, java.util.function.BooleanSupplier live) {
        if (!settings.enabled()) {
            return;
        }
        exchange.addResponseWrapper((factory, ex) -> {
            if (!live.getAsBoolean() || !compressible(ex, settings)) {
                return factory.create();
            }
            if (settings.addVary()) {
                ex.getResponseHeaders().add(Headers.VARY, "Accept-Encoding");
            }
            if (!requestAllows(ex, settings)) {
                return factory.create();
            }
            HeaderMap headers = ex.getResponseHeaders();
            headers.put(Headers.CONTENT_ENCODING, "gzip");
            headers.remove(Headers.ACCEPT_RANGES);
            weakenEtag(headers);
            // Undertow would write a Content-Length when the whole body fits one buffer; nginx
            // never does (chunked): the length goes before the transfer coding is chosen.
            return new GzipStreamSinkConduit(() -> {
                ex.getResponseHeaders().remove(Headers.CONTENT_LENGTH);
                if (ex.getProtocol().equals(Protocols.HTTP_1_1) && !ex.getRequestMethod().equals(Methods.HEAD)) {
                    // chunked even when the connection closes after the answer, as nginx
                    ex.getResponseHeaders().put(Headers.TRANSFER_ENCODING, "chunked");
                }
                return factory.create();
            }, ex, settings.compLevel());
        });
    }

    /**
     * Whether {@link #install}'s filter would compress the answer whose head is set now: a file
     * answer asks before it picks byte ranges, as nginx's range filter sees no length (and
     * sends the whole) after gzip took the answer.
     */
    public static boolean compresses(HttpServerExchange exchange, GzipSettings settings) {
        return settings.enabled() && compressible(exchange, settings) && requestAllows(exchange, settings);
    }

    private static boolean compressible(HttpServerExchange ex, GzipSettings settings) {
        int status = ex.getStatusCode();
        if (status != 200 && status != 403 && status != 404) {
            return false;
        }
        HeaderMap headers = ex.getResponseHeaders();
        String encoding = headers.getFirst(Headers.CONTENT_ENCODING);
        if (encoding != null && !encoding.isEmpty()) {
            return false;
        }
        String length = headers.getFirst(Headers.CONTENT_LENGTH);
        if (length != null && Long.parseLong(length.trim()) < settings.minimum()) {
            return false;
        }
        String type = headers.getFirst(Headers.CONTENT_TYPE);
        if (type == null || type.isEmpty()) {
            return false;
        }
        int semi = type.indexOf(';');
        String mime = (semi < 0 ? type : type.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
        // HEAD too: nginx's proxied HEAD gets the gzip headers (and no Content-Length), no body
        return settings.typeMatches(mime);
    }

    private static boolean requestAllows(HttpServerExchange ex, GzipSettings settings) {
        HeaderMap in = ex.getRequestHeaders();
        if (!AcceptEncoding.acceptsGzip(in.getFirst(Headers.ACCEPT_ENCODING))) {
            return false;
        }
        String agent = in.getFirst(Headers.USER_AGENT);
        if (settings.needsHttp11() && ex.getProtocol().equals(Protocols.HTTP_1_0)) {
            return false;
        }
        if (in.contains(VIA) && !proxiedAllows(ex, settings.proxiedValues())) {
            return false;
        }
        return agent == null || settings.disabled().stream().noneMatch(test -> test.test(agent));
    }

    /**
     * {@code gzip_proxied} for a request with Via, as ngx_http_gzip_ok: an Expires decides alone
     * (compress only with "expired" and when it is not after Date), else a Cache-Control decides
     * alone (one of the named tokens), else compress unless "no_last_modified" / "no_etag" meet
     * the header. So "gzip_proxied expired" compresses an answer with neither header.
     */
    private static boolean proxiedAllows(HttpServerExchange ex, Set<String> proxied) {
        if (proxied.contains("off")) {
            return false;
        }
        if (proxied.contains("any")
                || proxied.contains("auth") && ex.getRequestHeaders().contains(Headers.AUTHORIZATION)) {
            return true;
        }
        HeaderMap out = ex.getResponseHeaders();
        String expires = out.getFirst(Headers.EXPIRES);
        if (expires != null) {
            Date at = DateUtils.parseDate(expires);
            String dateHeader = out.getFirst(Headers.DATE);
            Date now = dateHeader == null ? new Date() : DateUtils.parseDate(dateHeader);
            return proxied.contains("expired") && at != null && now != null && !at.after(now);
        }
        HeaderValues cacheControl = out.get(Headers.CACHE_CONTROL);
        if (cacheControl != null) {
            for (String value : cacheControl) {
                for (String token : value.split(",")) {
                    String t = token.trim().toLowerCase(Locale.ROOT);
                    if (Set.of("no-cache", "no-store", "private").contains(t) && proxied.contains(t)) {
                        return true;
                    }
                }
            }
            return false;
        }
        return !(proxied.contains("no_last_modified") && out.contains(Headers.LAST_MODIFIED))
                && !(proxied.contains("no_etag") && out.contains(Headers.ETAG));
    }

    /** nginx 1.7.3+: a compressed answer's strong ETag becomes weak; one it cannot read goes. */
    private static void weakenEtag(HeaderMap headers) {
        String etag = headers.getFirst(Headers.ETAG);
        if (etag == null || etag.startsWith("W/")) {
            return;
        }
        if (etag.startsWith("\"")) {
            headers.put(Headers.ETAG, "W/" + etag);
        } else {
            headers.remove(Headers.ETAG);
        }
    }
}
